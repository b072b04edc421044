-- purchase_gaps: how long repeat customers wait between orders, to suggest the inactivity window W.
-- grain: one row
-- uses: scope/orders_in_scope
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: repeat_customers BIGINT, gaps BIGINT, median_gap_days DOUBLE, p75_gap_days DOUBLE,
--   p90_gap_days DOUBLE, suggested_window_days INTEGER
-- Gaps are days between consecutive order dates of the same customer (same-day orders count once). The
-- suggested window is the 90th percentile rounded up to a multiple of 15 days (default 90 with no repeat buyers).
with customer_days as (
    select distinct customer_id, order_date
    from orders_in_scope
),

gaps as (
    select
        customer_id,
        order_date - lag(order_date) over (partition by customer_id order by order_date) as gap_days
    from customer_days
),

final as (
    select
        count(distinct customer_id)::BIGINT as repeat_customers,
        count(*)::BIGINT as gaps,
        median(gap_days)::DOUBLE as median_gap_days,
        quantile_cont(gap_days, 0.75)::DOUBLE as p75_gap_days,
        quantile_cont(gap_days, 0.9)::DOUBLE as p90_gap_days,
        coalesce(15 * ceil(quantile_cont(gap_days, 0.9) / 15), 90)::INTEGER as suggested_window_days
    from gaps
    where gap_days is not null
)

select * from final
