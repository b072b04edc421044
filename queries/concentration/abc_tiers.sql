-- abc_tiers: customers, value, margin and average order value of the A, B and C tiers.
-- grain: one row per tier present
-- uses: concentration/customer_ranks
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: tier VARCHAR, customers BIGINT, customer_share DOUBLE, value DECIMAL(38,2), value_share DOUBLE,
--   revenue DECIMAL(38,2), margin DECIMAL(38,2), orders BIGINT, aov DOUBLE
-- Tiers as in concentration/customer_values; aov = revenue / orders.
with final as (
    select
        tier,
        count(*)::BIGINT as customers,
        (count(*) / any_value(customers))::DOUBLE as customer_share,
        sum(value)::DECIMAL(38,2) as value,
        (sum(value) / sum(sum(value)) over ())::DOUBLE as value_share,
        sum(revenue)::DECIMAL(38,2) as revenue,
        sum(margin)::DECIMAL(38,2) as margin,
        sum(orders)::BIGINT as orders,
        (sum(revenue) / nullif(sum(orders), 0))::DOUBLE as aov
    from customer_ranks
    where tier is not null
    group by tier
    order by tier
)

select * from final
