-- customer_windows: each customer's first and last order and spend in the investment look windows, as of a date.
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- mart: rebuilt into table _customer_windows whenever orders or customers change (as of the data's last order day)
-- uses: scope/days_in_scope, scope/as_of
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all; the mart: all)
-- columns: ck INTEGER, filter_group INTEGER, as_of_date DATE, first_order_date DATE, last_order_date DATE,
--   revenue_to_date DECIMAL(18,2), spend_12m DECIMAL(38,2), spend_prior_12m DECIMAL(38,2),
--   spend_prior_24m DECIMAL(38,2), spend_6m DECIMAL(38,2), spend_prior_6m DECIMAL(38,2), orders_90d BIGINT
-- Grouping ten million order days by customer is most of what the investment looks cost. They are nearly always
-- asked as of the data's last order day (the default period ends there), so a load stores them for that day,
-- every customer, and investment/customer_spend reads the rows it needs; for an earlier as-of date it computes
-- them with this same SQL (composed with its $end and filters). As-of date: the latest order on or before $end.
-- Windows are half-open, (as_of - n months, as_of]. revenue_to_date: lifetime revenue through the as-of date.
-- filter_group: the customer's (marts/customer_keys), so a filtered read picks rows by group.
with settings as (
    -- Window starts as dates: comparing a date column with "date - interval" would cast every row to a timestamp.
    select
        as_of_date,
        as_of_date - 90 as from_90d,
        (as_of_date - interval 6 month)::DATE as from_6m,
        (as_of_date - interval 12 month)::DATE as from_12m,
        (as_of_date - interval 24 month)::DATE as from_24m,
        (as_of_date - interval 36 month)::DATE as from_36m
    from as_of
    -- Composed into a query (an $end given), nothing when the as-of date is the data's last order day: the table
    -- holds those rows, and with no settings row the grouping below reads no days.
    where $end is null or as_of_date < (select max(order_date) from _customer_days)
),

windows as (
    -- days_in_scope ends at the as-of date: no upper bound is needed below. The customer's last day up to then is
    -- the one with no next date, and carries the running total.
    select
        d.ck,
        min(d.order_date) as first_order_date,
        max(d.order_date) as last_order_date,
        any_value(d.revenue_to_date) filter (where d.next_date is null) as revenue_to_date,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_12m), 0) as spend_12m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_24m and d.order_date <= s.from_12m), 0)
            as spend_prior_12m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_36m and d.order_date <= s.from_24m), 0)
            as spend_prior_24m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_6m), 0) as spend_6m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_12m and d.order_date <= s.from_6m), 0)
            as spend_prior_6m,
        coalesce(sum(d.orders) filter (where d.order_date > s.from_90d), 0)::BIGINT as orders_90d
    from days_in_scope as d
    cross join settings as s
    group by d.ck
),

final as (
    select w.ck, k.filter_group, s.as_of_date, w.* exclude (ck)
    from windows as w
    inner join _customer_keys as k on w.ck = k.ck
    cross join settings as s
)

select * from final
