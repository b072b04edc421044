-- nps_monthly: Net Promoter Score per month with its 95% interval and the promoter/passive/detractor mix.
-- grain: one row per calendar month with responses
-- uses: scope/filtered_customers
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: month DATE, responses BIGINT, promoters BIGINT, passives BIGINT, detractors BIGINT, nps DOUBLE,
--   ci_low DOUBLE, ci_high DOUBLE
-- NPS = 100 x (share of 9-10 minus share of 0-6); standard error sqrt((p+ + p- - (p+ - p-)^2) / n); the
-- interval is NPS +- 1.96 standard errors, clipped to the scale's -100..100.
-- With a customer filter set, only responses linked to a customer in scope count.
with responses as (
    select responded_at, score
    from nps
    where responded_at::DATE between $start and $end
        and (
            ($region is null and $segment is null and $channel is null)
            or customer_id in (select customer_id from filtered_customers)
        )
),

monthly as (
    select
        date_trunc('month', responded_at)::DATE as month,
        count(*)::BIGINT as responses,
        count(*) filter (where score >= 9)::BIGINT as promoters,
        count(*) filter (where score between 7 and 8)::BIGINT as passives,
        count(*) filter (where score <= 6)::BIGINT as detractors
    from responses
    group by 1
),

shares as (
    select *, promoters / responses as p_promoter, detractors / responses as p_detractor
    from monthly
),

final as (
    select
        month,
        responses,
        promoters,
        passives,
        detractors,
        (100 * (p_promoter - p_detractor))::DOUBLE as nps,
        greatest(-100, 100 * (p_promoter - p_detractor - 1.959964 * sqrt(
            (p_promoter + p_detractor - (p_promoter - p_detractor) ^ 2) / responses
        )))::DOUBLE as ci_low,
        least(100, 100 * (p_promoter - p_detractor + 1.959964 * sqrt(
            (p_promoter + p_detractor - (p_promoter - p_detractor) ^ 2) / responses
        )))::DOUBLE as ci_high
    from shares
    order by month
)

select * from final
