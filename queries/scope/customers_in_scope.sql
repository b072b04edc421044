-- customers_in_scope: the customers the global filters select (region, segment, acquisition channel).
-- grain: one row per customer of the customers table matching every filter given
-- params: $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: customer_id VARCHAR
-- The one definition of the customer filters; every query that filters by customer uses it.
with final as (
    select customer_id
    from customers
    where ($region is null or list_contains($region, region))
        and ($segment is null or list_contains($segment, segment))
        and ($channel is null or list_contains($channel, acquisition_channel))
)

select * from final
