-- nps_by_group: NPS with its 95% interval per segment, acquisition channel or survey touchpoint.
-- grain: one row per group value (NULL group = unknown)
-- uses: scope/filtered_customers
-- params: $start DATE, $end DATE, $group_by VARCHAR ('segment' | 'channel' | 'touchpoint'), $region VARCHAR[],
--   $segment VARCHAR[], $channel VARCHAR[] (NULL = all; group_by defaults to touchpoint)
-- columns: group_value VARCHAR, responses BIGINT, promoters BIGINT, passives BIGINT, detractors BIGINT,
--   nps DOUBLE, ci_low DOUBLE, ci_high DOUBLE, is_small BOOLEAN
-- Same definitions as advocacy/nps_monthly; is_small marks groups with fewer than 30 answers.
with responses as (
    select
        n.score,
        case coalesce($group_by, 'touchpoint')
            when 'segment' then c.segment
            when 'channel' then c.acquisition_channel
            else n.touchpoint
        end as group_value
    from nps as n
    left join customers as c on n.customer_id = c.customer_id
    where n.responded_at::DATE between $start and $end
        and (
            ($region is null and $segment is null and $channel is null)
            or n.customer_id in (select customer_id from filtered_customers)
        )
),

counts as (
    select
        group_value,
        count(*) as responses,
        count(*) filter (where score >= 9) as promoters,
        count(*) filter (where score between 7 and 8) as passives,
        count(*) filter (where score <= 6) as detractors
    from responses
    group by group_value
),

shares as (
    select *, promoters / responses as p_promoter, detractors / responses as p_detractor from counts
),

final as (
    select
        group_value,
        responses::BIGINT as responses,
        promoters::BIGINT as promoters,
        passives::BIGINT as passives,
        detractors::BIGINT as detractors,
        (100 * (p_promoter - p_detractor))::DOUBLE as nps,
        greatest(-100, 100 * (p_promoter - p_detractor - 1.959964 * sqrt(
            (p_promoter + p_detractor - (p_promoter - p_detractor) ^ 2) / responses
        )))::DOUBLE as ci_low,
        least(100, 100 * (p_promoter - p_detractor + 1.959964 * sqrt(
            (p_promoter + p_detractor - (p_promoter - p_detractor) ^ 2) / responses
        )))::DOUBLE as ci_high,
        responses < 30 as is_small
    from shares
    order by responses desc, group_value
)

select * from final
