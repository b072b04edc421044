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
    -- Without a customer filter the per-day counts of marts/nps_daily hold everything needed; with one, the
    -- answers of customers in scope are read one by one.
    select day, score, answers
    from _nps_daily
    where day between $start and $end
        and $region is null and $segment is null and $channel is null
    union all
    select n.responded_at::DATE, n.score, 1
    from nps as n
    semi join filtered_customers as c on n.customer_id = c.customer_id
    where n.responded_at::DATE between $start and $end
        and not ($region is null and $segment is null and $channel is null)
),

monthly as (
    select
        day - day(day)::INTEGER + 1 as month,
        sum(answers)::BIGINT as responses,
        coalesce(sum(answers) filter (where score >= 9), 0)::BIGINT as promoters,
        coalesce(sum(answers) filter (where score between 7 and 8), 0)::BIGINT as passives,
        coalesce(sum(answers) filter (where score <= 6), 0)::BIGINT as detractors
    from responses
    group by 1
),

shares as (
    select
        *,
        promoters::DOUBLE / responses as p_promoter,
        detractors::DOUBLE / responses as p_detractor
    from monthly
),

scored as (
    -- The interval's half-width once, for both ends: planning the expression twice was most of this small
    -- query's time.
    select
        *,
        100 * (p_promoter - p_detractor) as nps,
        100 * 1.959964 * sqrt((p_promoter + p_detractor - (p_promoter - p_detractor) ^ 2) / responses) as margin
    from shares
),

final as (
    select
        month,
        responses,
        promoters,
        passives,
        detractors,
        nps::DOUBLE as nps,
        greatest(-100, nps - margin)::DOUBLE as ci_low,
        least(100, nps + margin)::DOUBLE as ci_high
    from scored
    order by month
)

select * from final
