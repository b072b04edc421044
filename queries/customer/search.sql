-- search: customers whose id or name contains the search text, best known first.
-- grain: one row per matching customer (at most 50)
-- params: $q VARCHAR (case-insensitive text to look for)
-- columns: customer_id VARCHAR, name VARCHAR, segment VARCHAR, region VARCHAR, lifetime_revenue DECIMAL(38,2)
with candidates as (
    -- Every known customer: the keys hold the customers table's and the ids only orders mention.
    select k.ck, k.customer_id, c.name, k.segment, k.region
    from _customer_keys as k
    left join customers as c on k.customer_id = c.customer_id
),

matches as (
    select *
    from candidates
    where $q is not null and length(trim($q)) > 0
        and (customer_id ilike '%' || trim($q) || '%' or name ilike '%' || trim($q) || '%')
),

final as (
    select
        m.customer_id,
        m.name,
        m.segment,
        m.region,
        coalesce(sum(d.revenue), 0)::DECIMAL(38,2) as lifetime_revenue
    from matches as m
    left join _customer_days as d on m.ck = d.ck
    group by m.ck, m.customer_id, m.name, m.segment, m.region
    order by m.customer_id = trim($q) desc, lifetime_revenue desc, m.customer_id
    limit 50
)

select * from final
