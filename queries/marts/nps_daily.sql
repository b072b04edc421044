-- nps_daily: NPS answers per response day, counted as promoters (9-10), passives (7-8) and detractors (0-6).
-- grain: one row per response day
-- mart: rebuilt into table _nps_daily whenever nps changes
-- params: none
-- columns: day DATE, promoters BIGINT, passives BIGINT, detractors BIGINT
-- What NPS per month needs when no customer filter is set: a few hundred rows a year instead of every answer,
-- no timestamp to truncate and no score to classify. With a filter, queries read the answers themselves.
with final as (
    select
        responded_at::DATE as day,
        count(*) filter (where score >= 9)::BIGINT as promoters,
        count(*) filter (where score between 7 and 8)::BIGINT as passives,
        count(*) filter (where score <= 6)::BIGINT as detractors
    from nps
    where responded_at is not null
    group by 1
)

select * from final
