-- customer_values: each customer's value in the period (revenue or margin), rank, cumulative share and ABC tier.
-- grain: one row per customer with orders in the period (only $customer_id's when given)
-- uses: concentration/customer_ranks
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $customer_id VARCHAR, $channel VARCHAR[] (NULL = all; measure defaults to revenue)
-- columns: customer_id VARCHAR, revenue DECIMAL(38,2), margin DECIMAL(38,2), orders BIGINT, value DECIMAL(38,2),
--   rank_desc BIGINT, customers BIGINT, customer_share DOUBLE, cumulative_share DOUBLE, tier VARCHAR
-- concentration/customer_ranks with the customer ids, for lists and downloads.
with final as (
    select k.customer_id, r.* exclude (ck)
    from customer_ranks as r
    inner join _customer_keys as k on r.ck = k.ck
    where $customer_id is null or k.customer_id = $customer_id
    order by r.rank_desc
)

select * from final
