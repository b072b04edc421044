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
    select day, promoters, passives, detractors
    from _nps_daily
    where day between $start and $end
        and $region is null and $segment is null and $channel is null
    union all
    select
        n.responded_at::DATE,
        (n.score >= 9)::BIGINT,
        (n.score between 7 and 8)::BIGINT,
        (n.score <= 6)::BIGINT
    from nps as n
    semi join filtered_customers as c on n.customer_id = c.customer_id
    where n.responded_at::DATE between $start and $end
        and not ($region is null and $segment is null and $channel is null)
),

monthly as (
    select
        date_trunc('month', day)::DATE as month,
        sum(promoters)::BIGINT as promoters,
        sum(passives)::BIGINT as passives,
        sum(detractors)::BIGINT as detractors
    from responses
    group by 1
),

counts as (
    select *, promoters + passives + detractors as responses from monthly
),

scored as (
    -- In counts, with n = responses, P = promoters and D = detractors: NPS = 100 (P - D) / n and the standard
    -- error is sqrt(((P + D) n - (P - D)^2) / n^3). Computed on doubles, one step over the one before: at a few
    -- dozen rows, planning the expressions is most of this query's time.
    select
        *,
        100 * (p - d) / n as nps,
        100 * 1.959964 * sqrt(((p + d) * n - (p - d) * (p - d)) / (n * n * n)) as margin
    from (select *, promoters::DOUBLE as p, detractors::DOUBLE as d, responses::DOUBLE as n from counts)
),

final as (
    select
        month,
        responses,
        promoters,
        passives,
        detractors,
        nps,
        greatest(-100, nps - margin) as ci_low,
        least(100, nps + margin) as ci_high
    from scored
    order by month
)

select * from final
