-- top20_by_quarter: the top-20% customers' share of value in each calendar quarter of the period.
-- grain: one row per quarter with orders
-- uses: scope/orders_in_scope
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: quarter DATE, customers BIGINT, total_value DECIMAL(38,2), top20_share DOUBLE
-- Same definition as concentration/pareto_summary, applied to each quarter's customers separately.
with period_orders as (
    select customer_id, order_date, amount, gross_margin
    from orders_in_scope
    where order_date >= $start
),

customer_values as (
    select
        date_trunc('quarter', order_date)::DATE as quarter,
        customer_id,
        case when coalesce($measure, 'revenue') = 'margin' then sum(gross_margin) else sum(amount) end as value
    from period_orders
    group by 1, 2
),

ranked as (
    select
        quarter,
        value,
        row_number() over (partition by quarter order by value desc, customer_id) as rank_desc,
        count(*) over (partition by quarter) as n
    from customer_values
    where value is not null
),

final as (
    select
        quarter,
        count(*)::BIGINT as customers,
        sum(value)::DECIMAL(38,2) as total_value,
        case when sum(value) > 0 then sum(value) filter (where rank_desc <= ceil(0.2 * n)) / sum(value) end::DOUBLE
            as top20_share
    from ranked
    group by quarter
    order by quarter
)

select * from final
