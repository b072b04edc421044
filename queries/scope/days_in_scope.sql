-- days_in_scope: the order days (see marts/customer_days) of the customers in scope, up to the end of the period.
-- grain: one row per (customer, order date) on or before $end
-- uses: scope/filtered_customers
-- params: $end DATE (NULL = no end), $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, order_date DATE, revenue DECIMAL(18,2), margin DECIMAL(18,2), orders INTEGER,
--   previous_date DATE, next_date DATE, revenue_to_date DECIMAL(18,2), orders_to_date BIGINT
-- The data as it stood on $end: a next order after $end is not known yet (next_date NULL), so each customer's
-- last order day on or before $end is the one row with no next date, carrying their totals to then. Without an
-- end (how marts/customer_windows is built) every day is in, as it stands in the data.
with unfiltered as (
    -- Without a customer filter there is nothing to join: a plain scan instead of a semi-join over all days.
    select * exclude (filter_group)
        replace (case when $end is null or next_date <= $end then next_date end as next_date)
    from _customer_days
    where ($end is null or order_date <= $end) and $region is null and $segment is null and $channel is null
),

filtered as (
    -- A customer filter keeps whole filter groups (marts/customer_keys): matching ten million days against a few
    -- dozen group numbers is a fraction of the work of matching them against every kept customer's key. As an IN
    -- test: a semi-join with the distinct groups made customer_looks, which reads these days twice, 10% slower.
    select d.* exclude (filter_group)
        replace (case when $end is null or d.next_date <= $end then d.next_date end as next_date)
    from _customer_days as d
    where ($end is null or d.order_date <= $end) and not ($region is null and $segment is null and $channel is null)
        and d.filter_group in (select filter_group from filtered_customers)
),

final as (
    select * from unfiltered
    union all
    select * from filtered
)

select * from final
