-- filter_options: the values offered by the global region, segment and channel filters.
-- grain: one row per (filter, value)
-- params: none
-- columns: filter VARCHAR, value VARCHAR, customers BIGINT
with options as (
    select 'region' as filter, region as value, count(*) as customers
    from customers where region is not null group by region
    union all
    select 'segment', segment, count(*) from customers where segment is not null group by segment
    union all
    select 'channel', acquisition_channel, count(*)
    from customers where acquisition_channel is not null group by acquisition_channel
    union all
    select 'channel', channel, 0 from leads where channel is not null group by channel
),

final as (
    select filter, value, sum(customers)::BIGINT as customers
    from options
    group by filter, value
    order by filter, customers desc, value
)

select * from final
