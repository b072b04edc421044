-- period_kpis: headline sales figures of one period (revenue, margin, orders, active and new customers).
-- grain: one row
-- uses: scope/customers_in_scope, scope/days_in_scope
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: revenue DECIMAL(38,2), gross_margin DECIMAL(38,2), orders BIGINT, active_customers BIGINT,
--   new_customers BIGINT, as_of DATE
-- Customer filters (region, segment, acquisition channel) use the customers table; with no filter every order
-- counts, including orders of customers the customers table does not list.
with first_orders as (
    select first_order_date from customers_in_scope
),

period_days as (
    select * from days_in_scope where order_date between $start and $end
),

final as (
    select
        coalesce(sum(revenue), 0)::DECIMAL(38,2) as revenue,
        sum(margin)::DECIMAL(38,2) as gross_margin,
        coalesce(sum(orders), 0)::BIGINT as orders,
        -- Each customer's first order day in the period is the one whose previous order day is before it.
        count(*) filter (where previous_date is null or previous_date < $start)::BIGINT as active_customers,
        (select count(*) from first_orders where first_order_date between $start and $end)::BIGINT as new_customers,
        max(order_date) as as_of
    from period_days
)

select * from final
