-- top20_by_quarter: the top-20% customers' share of value in each calendar quarter of the period.
-- grain: one row per quarter with orders
-- uses: scope/days_in_scope
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: quarter DATE, customers BIGINT, total_value DECIMAL(38,2), top20_share DOUBLE
-- Same definition as concentration/pareto_summary, applied to each quarter's customers separately.
with period_days as (
    select ck, order_date, revenue, margin
    from days_in_scope
    where order_date >= $start
),

customer_values as (
    select
        make_date(year(order_date), 3 * quarter(order_date) - 2, 1) as quarter,
        ck,
        case when coalesce($measure, 'revenue') = 'margin' then sum(margin) else sum(revenue) end as value
    from period_days
    group by 1, 2
),

quarters as (
    -- Per quarter: customers, total, how many make the top 20%, and a floor below that cut: every customer in
    -- the top 20% is at or above the 75th percentile (a selection, not a sort), which keeps about 25% of them.
    -- The cut's 0-based ascending position is n - ceil(0.2 n) = floor(0.8 n); the 75th percentile's is below
    -- 0.75 n, and 0.75 is exact in binary, so no rounding can put it above the cut.
    select
        quarter,
        count(*) as n,
        sum(value) as total_value,
        ceil(0.2 * count(*)) as top_n,
        quantile_disc(value, 0.75) as floor_value
    from customer_values
    where value is not null
    group by quarter
),

ranked as (
    -- Only the customers at or above the floor are sorted. Ties at the cut hold equal values, so the sum of the
    -- top ones does not depend on which is taken.
    select
        v.quarter,
        v.value,
        row_number() over (partition by v.quarter order by v.value desc) as rank_desc
    from customer_values as v
    inner join quarters as q on v.quarter = q.quarter
    where v.value >= q.floor_value
),

top_values as (
    select r.quarter, sum(r.value) as top_value
    from ranked as r
    inner join quarters as q on r.quarter = q.quarter
    where r.rank_desc <= q.top_n
    group by r.quarter
),

final as (
    select
        q.quarter,
        q.n::BIGINT as customers,
        q.total_value::DECIMAL(38,2) as total_value,
        case when q.total_value > 0 then t.top_value / q.total_value end::DOUBLE as top20_share
    from quarters as q
    left join top_values as t on q.quarter = t.quarter
    order by q.quarter
)

select * from final
