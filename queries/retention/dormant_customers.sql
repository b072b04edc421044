-- dormant_customers: customers with no order in the last W days, most valuable first, ready for a campaign.
-- grain: one row per dormant customer
-- uses: scope/orders_in_scope
-- params: $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: customer_id VARCHAR, name VARCHAR, segment VARCHAR, region VARCHAR, owner VARCHAR, phone VARCHAR,
--   email VARCHAR, wechat VARCHAR, lifetime_revenue DECIMAL(38,2), orders BIGINT, first_order_date DATE,
--   last_order_date DATE, days_inactive INTEGER
-- As of the latest order on or before $end. Dormant: last order on or before as_of - W (no order in
-- (as_of - W, as_of]). Lifetime revenue counts every order up to the as-of date, refunds netted.
with filtered_orders as (
    select customer_id, order_id, order_date, amount
    from orders_in_scope
),

as_of as (
    select max(order_date) as as_of_date from filtered_orders
),

lifetimes as (
    select
        customer_id,
        sum(amount) as lifetime_revenue,
        count(distinct order_id) + count(*) filter (where order_id is null) as orders,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from filtered_orders
    group by customer_id
),

final as (
    select
        l.customer_id,
        c.name,
        c.segment,
        c.region,
        c.owner,
        c.phone,
        c.email,
        c.wechat,
        l.lifetime_revenue::DECIMAL(38,2) as lifetime_revenue,
        l.orders::BIGINT as orders,
        l.first_order_date,
        l.last_order_date,
        (a.as_of_date - l.last_order_date)::INTEGER as days_inactive
    from lifetimes as l
    cross join as_of as a
    left join customers as c on l.customer_id = c.customer_id
    where l.last_order_date <= a.as_of_date - coalesce($window_days, 90)::INTEGER
    order by l.lifetime_revenue desc, l.customer_id
)

select * from final
