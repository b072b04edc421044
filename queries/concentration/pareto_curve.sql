-- pareto_curve: the Pareto and Lorenz curves in at most 100 buckets of customers (largest first), light enough
--   for the browser at any number of customers.
-- grain: one row per bucket of customers ranked by value
-- uses: concentration/customer_ranks
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: bucket BIGINT, customers_in_bucket BIGINT, bucket_value DECIMAL(38,2), first_rank BIGINT,
--   last_rank BIGINT, customer_share DOUBLE, cumulative_share DOUBLE
-- Bucket k holds ranks ((k-1)n/B, kn/B] with B = min(n, 100); customer_share and cumulative_share are taken at
-- the bucket's last customer, so the points lie exactly on the curve. Lorenz: (1 - customer_share,
-- 1 - cumulative_share).
with bucketed as (
    select
        *,
        ceil(rank_desc * least(customers, 100) / customers)::BIGINT as bucket
    from customer_ranks
),

final as (
    select
        bucket,
        count(*)::BIGINT as customers_in_bucket,
        sum(value)::DECIMAL(38,2) as bucket_value,
        min(rank_desc)::BIGINT as first_rank,
        max(rank_desc)::BIGINT as last_rank,
        max(customer_share)::DOUBLE as customer_share,
        arg_max(cumulative_share, rank_desc)::DOUBLE as cumulative_share
    from bucketed
    group by bucket
    order by bucket
)

select * from final
