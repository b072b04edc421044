-- nps_daily: NPS answers counted per response day and score.
-- grain: one row per (response day, score)
-- mart: rebuilt into table _nps_daily whenever nps changes
-- sources: nps
-- params: none
-- columns: day DATE, score INTEGER, answers BIGINT
-- What NPS per month needs when no customer filter is set: a few thousand rows instead of every answer, and no
-- timestamp to truncate. With a filter, queries read the answers themselves.
with final as (
    select responded_at::DATE as day, score::INTEGER as score, count(*)::BIGINT as answers
    from nps
    where responded_at is not null
    group by 1, 2
)

select * from final
