-- purchase_gaps: how long repeat customers wait between orders, to suggest the inactivity window W.
-- grain: one row
-- uses: scope/days_in_scope
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: repeat_customers BIGINT, gaps BIGINT, median_gap_days DOUBLE, p75_gap_days DOUBLE,
--   p90_gap_days DOUBLE, suggested_window_days INTEGER
-- Gaps are days between consecutive order dates of the same customer (same-day orders count once). The
-- suggested window is the 90th percentile rounded up to a multiple of 15 days (default 90 with no repeat buyers).
with gaps as (
    -- One row per gap length: quantiles of whole days read off the counts instead of sorting millions of gaps.
    -- A repeat customer's last order day (no next one by $end) is the one row per repeat customer with a gap.
    select
        order_date - previous_date as gap_days,
        count(*) as n,
        count(*) filter (where next_date is null) as last_gaps
    from days_in_scope
    where previous_date is not null
    group by 1
),

cumulative as (
    select gap_days, sum(n) over (order by gap_days) as up_to, sum(n) over () as total
    from gaps
),

positions as (
    -- quantile_cont: the value at position h = (gaps - 1) q of the sorted gaps, interpolated between the gaps
    -- at floor(h) and ceil(h) (0-based).
    select t.q, (c.total - 1) * t.q as h
    from (select distinct total from cumulative) as c
    cross join (values (0.5), (0.75), (0.9)) as t(q)
),

quantiles as (
    select
        p.q,
        lo.gap_days + (p.h - floor(p.h)) * (hi.gap_days - lo.gap_days) as value
    from positions as p
    -- The gap at 0-based position i is the smallest length with more than i gaps up to it.
    inner join lateral (
        select min(gap_days) as gap_days from cumulative where up_to > floor(p.h)
    ) as lo on true
    inner join lateral (
        select min(gap_days) as gap_days from cumulative where up_to > ceil(p.h)
    ) as hi on true
),

final as (
    select
        coalesce((select sum(last_gaps) from gaps), 0)::BIGINT as repeat_customers,
        coalesce((select sum(n) from gaps), 0)::BIGINT as gaps,
        (select value from quantiles where q = 0.5)::DOUBLE as median_gap_days,
        (select value from quantiles where q = 0.75)::DOUBLE as p75_gap_days,
        (select value from quantiles where q = 0.9)::DOUBLE as p90_gap_days,
        coalesce(15 * ceil((select value from quantiles where q = 0.9) / 15), 90)::INTEGER as suggested_window_days
)

select * from final
