-- dormant_customers: customers with no order in the last W days, most valuable first, ready for a campaign.
-- grain: one row per dormant customer (the first $limit when given)
-- uses: scope/days_in_scope
-- params: $end DATE, $window_days INTEGER, $limit INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[]
--   (NULL = all)
-- columns: customer_id VARCHAR, name VARCHAR, segment VARCHAR, region VARCHAR, owner VARCHAR, phone VARCHAR,
--   email VARCHAR, wechat VARCHAR, lifetime_revenue DECIMAL(38,2), orders BIGINT, first_order_date DATE,
--   last_order_date DATE, days_inactive INTEGER, dormant_customers BIGINT
-- As of the latest order on or before $end. Dormant: last order on or before as_of - W (no order in
-- (as_of - W, as_of]). Lifetime revenue counts every order up to the as-of date, refunds netted.
-- dormant_customers: how many there are in all, also when only the first $limit are listed.
with lifetimes as materialized (
    -- Each customer's last order day on or before $end (no next date in days_in_scope) carries their lifetime
    -- totals to then: one row per customer, nothing to add up. The keys (first order date, id) are joined to the
    -- listed rows only. Materialized: read twice below, and keeping these rows measured 10-20% faster than
    -- letting DuckDB plan the two reads.
    select
        d.ck,
        d.revenue_to_date as lifetime_revenue,
        d.orders_to_date as orders,
        d.order_date as last_order_date
    from days_in_scope as d
    where d.next_date is null
),

as_of as (
    -- The latest of those last days is the as-of date: taken here rather than from scope/as_of, which would read
    -- all the days a second time (and semi-join them again under a customer filter).
    select max(last_order_date) as as_of_date from lifetimes
),

dormant as (
    select l.*, (a.as_of_date - l.last_order_date)::INTEGER as days_inactive, count(*) over () as dormant_customers
    from lifetimes as l
    cross join as_of as a
    where l.last_order_date <= a.as_of_date - coalesce($window_days, 90)::INTEGER
    order by l.lifetime_revenue desc, l.ck
    limit coalesce($limit, 2147483647)
),

final as (
    select
        k.customer_id,
        c.name,
        c.segment,
        c.region,
        c.owner,
        c.phone,
        c.email,
        c.wechat,
        d.lifetime_revenue::DECIMAL(38,2) as lifetime_revenue,
        d.orders::BIGINT as orders,
        k.first_order_date,
        d.last_order_date,
        d.days_inactive,
        d.dormant_customers::BIGINT as dormant_customers
    from dormant as d
    inner join _customer_keys as k on d.ck = k.ck
    -- Contact details by row: the ids are matched on the id column alone, then only the listed rows' text is
    -- read. Joined on customer_id, DuckDB reads every customer's name, phone and e-mail first.
    left join (select customer_id, rowid as crow from customers) as cr on k.customer_id = cr.customer_id
    left join customers as c on c.rowid = cr.crow
    order by d.lifetime_revenue desc, d.ck
)

select * from final
