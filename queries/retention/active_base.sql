-- active_base: today's customer base for the churn projection: customers active at the as-of date and what a
--   customer brings in a year.
-- grain: one row
-- uses: scope/orders_in_scope
-- params: $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: as_of DATE, active_customers BIGINT, revenue_12m DECIMAL(38,2), revenue_per_active DOUBLE
-- Active: an order in (as_of - W, as_of]. revenue_12m: revenue of those customers in (as_of - 12 months, as_of].
with filtered_orders as (
    select customer_id, order_date, amount
    from orders_in_scope
),

as_of as (
    select max(order_date) as as_of_date from filtered_orders
),

active as (
    select distinct o.customer_id
    from filtered_orders as o
    cross join as_of as a
    where o.order_date > a.as_of_date - coalesce($window_days, 90)::INTEGER
),

final as (
    select
        a.as_of_date as as_of,
        (select count(*) from active)::BIGINT as active_customers,
        coalesce(sum(o.amount), 0)::DECIMAL(38,2) as revenue_12m,
        (coalesce(sum(o.amount), 0) / nullif((select count(*) from active), 0))::DOUBLE as revenue_per_active
    from as_of as a
    left join filtered_orders as o
        on o.order_date > a.as_of_date - interval 12 month
        and o.customer_id in (select customer_id from active)
    group by a.as_of_date
)

select * from final
