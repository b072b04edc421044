-- unprofitable_customers: customers whose gross margin in the period is negative, largest loss first.
-- grain: one row per unprofitable customer
-- uses: concentration/customer_values
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: customer_id VARCHAR, name VARCHAR, owner VARCHAR, segment VARCHAR, phone VARCHAR, email VARCHAR,
--   revenue DECIMAL(38,2), margin DECIMAL(38,2), orders BIGINT
with final as (
    select
        v.customer_id,
        c.name,
        c.owner,
        c.segment,
        c.phone,
        c.email,
        v.revenue,
        v.margin,
        v.orders
    from customer_values as v
    left join customers as c on v.customer_id = c.customer_id
    where v.margin < 0
    order by v.margin, v.customer_id
)

select * from final
