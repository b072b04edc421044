-- stage_funnel: how many leads of each channel sit in each stage, for the funnel where stages exist.
-- grain: one row per (channel, stage); no rows when the leads export has no stage column
-- uses: acquisition/lead_outcomes
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: channel VARCHAR, stage VARCHAR, leads BIGINT, share_of_channel DOUBLE, stage_order BIGINT
-- Stages are ordered by how many leads reach them overall (most first), which for a funnel export is its
-- natural order; converted leads are counted in their stage as exported.
with by_stage as (
    select channel, stage, count(*) as leads
    from lead_outcomes
    where stage is not null
    group by channel, stage
),

stage_rank as (
    select stage, row_number() over (order by sum(leads) desc, stage) as stage_order
    from by_stage
    group by stage
),

final as (
    select
        b.channel,
        b.stage,
        b.leads::BIGINT as leads,
        (b.leads / sum(b.leads) over (partition by b.channel))::DOUBLE as share_of_channel,
        r.stage_order::BIGINT as stage_order
    from by_stage as b
    inner join stage_rank as r on b.stage = r.stage
    order by b.channel, r.stage_order
)

select * from final
