-- filtered_customers: the customers the global customer filters keep (region, segment, acquisition channel).
-- grain: one row per customers-table customer matching every filter given; no rows when no filter is set
-- params: $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, customer_id VARCHAR, filter_group INTEGER, first_order_date DATE, last_order_date DATE
-- The one definition of the customer filters. With no filter every row counts and there is nothing to look
-- up, so this is empty: a query's "no filter, or in filtered_customers" test then builds no million-row list.
with final as (
    select ck, customer_id, filter_group, first_order_date, last_order_date
    from _customer_keys
    where not ($region is null and $segment is null and $channel is null)
        and listed
        and ($region is null or list_contains($region, region))
        and ($segment is null or list_contains($segment, segment))
        and ($channel is null or list_contains($channel, channel))
)

select * from final
