-- period_kpis: headline sales figures of one period (revenue, margin, orders, active and new customers).
-- grain: one row
-- uses: scope/orders_in_scope
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: revenue DECIMAL(38,2), gross_margin DECIMAL(38,2), orders BIGINT, active_customers BIGINT,
--   new_customers BIGINT, as_of DATE
-- Customer filters (region, segment, acquisition channel) use the customers table; with no filter every order
-- counts, including orders of customers the customers table does not list.
with filtered_orders as (
    select * from orders_in_scope
),

first_orders as (
    select customer_id, min(order_date) as first_order_date
    from filtered_orders
    group by customer_id
),

period_orders as (
    select * from filtered_orders where order_date between $start and $end
),

final as (
    select
        coalesce(sum(amount), 0)::DECIMAL(38,2) as revenue,
        sum(gross_margin)::DECIMAL(38,2) as gross_margin,
        (count(distinct order_id) + count(*) filter (where order_id is null))::BIGINT as orders,
        count(distinct customer_id)::BIGINT as active_customers,
        (select count(*) from first_orders where first_order_date between $start and $end)::BIGINT as new_customers,
        max(order_date) as as_of
    from period_orders
)

select * from final
