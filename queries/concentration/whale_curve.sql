-- whale_curve: cumulative share of total profit with customers ranked by margin, most profitable first, in at
--   most 200 points; it rises above 100% and falls back with the unprofitable tail.
-- grain: one row per point (every customer up to 200 customers, else evenly spaced ranks plus the peak)
-- uses: concentration/customer_ranks
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all; the ranking here is always by margin)
-- columns: margin_rank BIGINT, customer_share DOUBLE, cumulative_margin_share DOUBLE, is_peak BOOLEAN
with by_margin as (
    select
        row_number() over (order by margin desc, ck) as margin_rank,
        count(*) over () as n,
        sum(margin) over (order by margin desc, ck rows unbounded preceding) as cumulative_margin,
        sum(margin) over () as total_margin
    from customer_ranks
    where margin is not null
),

shares as (
    select
        *,
        cumulative_margin / nullif(total_margin, 0) as cumulative_margin_share,
        cumulative_margin = max(cumulative_margin) over () as is_peak_value
    from by_margin
),

final as (
    select
        margin_rank::BIGINT as margin_rank,
        (margin_rank / n)::DOUBLE as customer_share,
        cumulative_margin_share::DOUBLE as cumulative_margin_share,
        is_peak_value as is_peak
    from shares
    where n <= 200 or margin_rank % greatest(n // 200, 1) = 0 or margin_rank = n or is_peak_value
        or margin_rank = 1
    order by margin_rank
)

select * from final
