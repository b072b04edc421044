-- purchase_gaps: how long repeat customers wait between orders, to suggest the inactivity window W.
-- grain: one row
-- uses: scope/days_in_scope
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: repeat_customers BIGINT, gaps BIGINT, median_gap_days DOUBLE, p75_gap_days DOUBLE,
--   p90_gap_days DOUBLE, suggested_window_days INTEGER
-- Gaps are days between consecutive order dates of the same customer (same-day orders count once). The
-- suggested window is the 90th percentile rounded up to a multiple of 15 days (default 90 with no repeat buyers).
with gaps as (
    select ck, order_date - previous_date as gap_days
    from days_in_scope
    where previous_date is not null
),

final as (
    select
        count(distinct ck)::BIGINT as repeat_customers,
        count(*)::BIGINT as gaps,
        median(gap_days)::DOUBLE as median_gap_days,
        quantile_cont(gap_days, 0.75)::DOUBLE as p75_gap_days,
        quantile_cont(gap_days, 0.9)::DOUBLE as p90_gap_days,
        coalesce(15 * ceil(quantile_cont(gap_days, 0.9) / 15), 90)::INTEGER as suggested_window_days
    from gaps
)

select * from final
