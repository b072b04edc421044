-- search: customers whose id or name contains the search text, best known first.
-- grain: one row per matching customer (at most 50)
-- params: $q VARCHAR (case-insensitive text to look for)
-- columns: customer_id VARCHAR, name VARCHAR, segment VARCHAR, region VARCHAR, lifetime_revenue DECIMAL(38,2)
-- Every known customer counts: the keys hold the customers table's ids and those only orders mention. Matches
-- are found first, in the ids and in the names separately, so only they are joined to names and orders: joining
-- a million keys to a million customers by text costs more than the search itself.
with term as (
    select nullif(trim($q), '') as q
),

hits as (
    select k.customer_id
    from _customer_keys as k
    cross join term as t
    where k.customer_id ilike '%' || t.q || '%'
    union
    select c.customer_id
    from customers as c
    cross join term as t
    where c.name ilike '%' || t.q || '%'
),

matched as (
    select k.ck, k.customer_id, k.segment, k.region
    from _customer_keys as k
    semi join hits as h on k.customer_id = h.customer_id
),

lifetimes as (
    -- A customer's last order day carries their lifetime revenue.
    select d.ck, d.revenue_to_date as lifetime_revenue
    from _customer_days as d
    semi join matched as m on d.ck = m.ck
    where d.next_date is null
),

final as (
    select
        m.customer_id,
        c.name,
        m.segment,
        m.region,
        coalesce(l.lifetime_revenue, 0)::DECIMAL(38,2) as lifetime_revenue
    from matched as m
    left join customers as c on m.customer_id = c.customer_id
    left join lifetimes as l on m.ck = l.ck
    cross join term as t
    order by m.customer_id = t.q desc, lifetime_revenue desc, m.customer_id
    limit 50
)

select * from final
