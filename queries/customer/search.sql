-- search: customers whose id or name contains the search text, best known first.
-- grain: one row per matching customer (at most 50)
-- params: $q VARCHAR (case-insensitive text to look for)
-- columns: customer_id VARCHAR, name VARCHAR, segment VARCHAR, region VARCHAR, lifetime_revenue DECIMAL(38,2)
with candidates as (
    select customer_id, name, segment, region from customers
    union
    select distinct customer_id, null, null, null from orders
    where customer_id not in (select customer_id from customers)
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
        coalesce(sum(o.amount), 0)::DECIMAL(38,2) as lifetime_revenue
    from matches as m
    left join orders as o on m.customer_id = o.customer_id
    group by m.customer_id, m.name, m.segment, m.region
    order by m.customer_id = trim($q) desc, lifetime_revenue desc, m.customer_id
    limit 50
)

select * from final
