-- monthly_trend: revenue, margin, orders, active and new customers per calendar month of the period.
-- grain: one row per month with orders
-- uses: scope/customers_in_scope, scope/days_in_scope
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: month DATE, revenue DECIMAL(38,2), gross_margin DECIMAL(38,2), orders BIGINT, active_customers BIGINT,
--   new_customers BIGINT
with new_by_month as (
    select date_trunc('month', first_order_date)::DATE as month, count(*)::BIGINT as new_customers
    from customers_in_scope
    where first_order_date <= $end
    group by 1
),

monthly as (
    -- A customer's first order day of a month is the one whose previous order day is before the month: counting
    -- those counts the month's distinct customers without a (month, customer) grouping.
    select
        order_date - day(order_date)::INTEGER + 1 as month,
        sum(revenue)::DECIMAL(38,2) as revenue,
        sum(margin)::DECIMAL(38,2) as gross_margin,
        sum(orders)::BIGINT as orders,
        count(*) filter (
            where previous_date is null or previous_date <= order_date - day(order_date)::INTEGER
        )::BIGINT as active_customers
    from days_in_scope
    where order_date between $start and $end
    group by 1
),

final as (
    select m.*, coalesce(n.new_customers, 0)::BIGINT as new_customers
    from monthly as m
    left join new_by_month as n on m.month = n.month
    order by m.month
)

select * from final
