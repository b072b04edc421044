-- customers_in_scope: the customers the global filters select (region, segment, acquisition channel).
-- grain: one row per customer: every customer of orders or the customers table with no filter, else the
--   customers-table customers matching every filter given
-- params: $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, customer_id VARCHAR, first_order_date DATE, last_order_date DATE
-- The one definition of the customer filters; every query that filters by customer uses it. With no filter,
-- orders of customers the customers table does not list still count.
with final as (
    select ck, customer_id, first_order_date, last_order_date
    from _customer_keys
    where ($region is null and $segment is null and $channel is null)
        or (
            listed
            and ($region is null or list_contains($region, region))
            and ($segment is null or list_contains($segment, segment))
            and ($channel is null or list_contains($channel, channel))
        )
)

select * from final
