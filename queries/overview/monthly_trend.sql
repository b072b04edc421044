-- monthly_trend: revenue, margin, orders, active and new customers per calendar month of the period.
-- grain: one row per month with orders
-- uses: scope/orders_in_scope
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: month DATE, revenue DECIMAL(38,2), gross_margin DECIMAL(38,2), orders BIGINT, active_customers BIGINT,
--   new_customers BIGINT
with filtered_orders as (
    select * from orders_in_scope
),

first_orders as (
    select customer_id, date_trunc('month', min(order_date))::DATE as first_month
    from filtered_orders
    group by customer_id
),

monthly as (
    select
        date_trunc('month', order_date)::DATE as month,
        sum(amount)::DECIMAL(38,2) as revenue,
        sum(gross_margin)::DECIMAL(38,2) as gross_margin,
        (count(distinct order_id) + count(*) filter (where order_id is null))::BIGINT as orders,
        count(distinct customer_id)::BIGINT as active_customers
    from filtered_orders
    where order_date between $start and $end
    group by 1
),

new_by_month as (
    select first_month as month, count(*)::BIGINT as new_customers
    from first_orders
    group by 1
),

final as (
    select m.*, coalesce(n.new_customers, 0)::BIGINT as new_customers
    from monthly as m
    left join new_by_month as n on m.month = n.month
    order by m.month
)

select * from final
