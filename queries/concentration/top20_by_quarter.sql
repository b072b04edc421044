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

ranked as (
    select
        quarter,
        value,
        -- Ties at the cut hold equal values, so the sum of the top ones does not depend on which is taken.
        row_number() over (partition by quarter order by value desc) as rank_desc,
        count(*) over (partition by quarter) as n
    from customer_values
    where value is not null
),

final as (
    select
        quarter,
        count(*)::BIGINT as customers,
        sum(value)::DECIMAL(38,2) as total_value,
        case when sum(value) > 0 then sum(value) filter (where rank_desc <= ceil(0.2 * n)) / sum(value) end::DOUBLE
            as top20_share
    from ranked
    group by quarter
    order by quarter
)

select * from final
