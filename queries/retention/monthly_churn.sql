-- monthly_churn: customers active at the start of each month, how many churned in it, and reactivations.
-- grain: one row per calendar month from the period's first month to the as-of month (per group when grouped)
-- uses: scope/orders_in_scope
-- params: $start DATE, $end DATE, $window_days INTEGER, $group_by VARCHAR ('segment' | 'region' | 'channel'),
--   $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all, ungrouped)
-- columns: month DATE, group_value VARCHAR, active_start BIGINT, churned BIGINT, churn_rate DOUBLE,
--   reactivated BIGINT, new_customers BIGINT, is_partial BOOLEAN
-- A customer is active on day d when they ordered in (d - W, d]; they churn on (last order + W) when no order
-- follows within W days. A churn counts in the month holding the customer's last active day (churn date - 1),
-- among customers active on the month's first day, and only once it has happened by the as-of date.
-- Reactivated: customers ordering in the month more than W days after their previous order. With $group_by,
-- every count is split by the customer's segment, region or acquisition channel (NULL when unknown).
with filtered_orders as (
    select customer_id, order_date
    from orders_in_scope
),

as_of as (
    select max(order_date) as as_of_date, min(order_date) as first_date from filtered_orders
),

customer_days as (
    select distinct customer_id, order_date from filtered_orders
),

customer_groups as (
    select
        customer_id,
        case $group_by
            when 'segment' then segment
            when 'region' then region
            when 'channel' then acquisition_channel
        end as group_value
    from customers
),

spells as (
    select
        d.customer_id,
        g.group_value,
        d.order_date,
        lag(d.order_date) over (partition by d.customer_id order by d.order_date) as previous_order_date,
        lead(d.order_date) over (partition by d.customer_id order by d.order_date) as next_order_date,
        (order_date + coalesce($window_days, 90)::INTEGER) as churn_date
    from customer_days as d
    left join customer_groups as g on d.customer_id = g.customer_id
),

months as (
    select unnest(generate_series(
        date_trunc('month', greatest($start, first_date)),
        date_trunc('month', as_of_date),
        interval 1 month
    ))::DATE as month
    from as_of
    where as_of_date >= $start
),

grid as (
    select m.month, g.group_value
    from months as m
    cross join (select distinct group_value from spells) as g
),

active_start as (
    -- The spell holding day F is the customer's latest order on or before F; active when F < order + W.
    select m.month, s.group_value, count(*)::BIGINT as active_start
    from months as m
    inner join spells as s
        on s.order_date <= m.month
        and m.month < s.churn_date
        and (s.next_order_date is null or s.next_order_date > m.month)
    group by m.month, s.group_value
),

churned as (
    select m.month, s.group_value, count(*)::BIGINT as churned
    from months as m
    inner join spells as s
        on s.order_date <= m.month
        and s.churn_date > m.month
        and s.churn_date <= (m.month + interval 1 month)::DATE
        and (s.next_order_date is null or s.next_order_date - s.order_date > coalesce($window_days, 90))
    cross join as_of
    where s.churn_date <= as_of.as_of_date
    group by m.month, s.group_value
),

reactivated as (
    select
        date_trunc('month', order_date)::DATE as month,
        group_value,
        count(distinct customer_id)::BIGINT as reactivated
    from spells
    where previous_order_date is not null and order_date - previous_order_date > coalesce($window_days, 90)
    group by 1, 2
),

new_customers as (
    select date_trunc('month', min(order_date))::DATE as month, any_value(group_value) as group_value, customer_id
    from spells
    group by customer_id
),

new_by_month as (
    select month, group_value, count(*)::BIGINT as new_customers from new_customers group by month, group_value
),

final as (
    select
        m.month,
        m.group_value,
        coalesce(a.active_start, 0)::BIGINT as active_start,
        coalesce(c.churned, 0)::BIGINT as churned,
        (coalesce(c.churned, 0) / nullif(a.active_start, 0))::DOUBLE as churn_rate,
        coalesce(r.reactivated, 0)::BIGINT as reactivated,
        coalesce(n.new_customers, 0)::BIGINT as new_customers,
        (m.month + interval 1 month)::DATE - 1 > as_of.as_of_date as is_partial
    from grid as m
    cross join as_of
    left join active_start as a on m.month = a.month and m.group_value is not distinct from a.group_value
    left join churned as c on m.month = c.month and m.group_value is not distinct from c.group_value
    left join reactivated as r on m.month = r.month and m.group_value is not distinct from r.group_value
    left join new_by_month as n on m.month = n.month and m.group_value is not distinct from n.group_value
    order by m.month, m.group_value
)

select * from final
