-- referral_conversion: how referred leads convert compared with all other leads of the period.
-- grain: one row per lead origin ('referred', 'other')
-- uses: acquisition/lead_outcomes
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: origin VARCHAR, leads BIGINT, converted BIGINT, conversion_rate DOUBLE
-- A lead is referred when it names a referrer or a referral names it (referrals.referred_lead_id).
with referred as (
    select lead_id from leads where referred_by is not null
    union
    select referred_lead_id from referrals where referred_lead_id is not null
),

final as (
    select
        case when r.lead_id is not null then 'referred' else 'other' end as origin,
        count(*)::BIGINT as leads,
        count(*) filter (where l.is_converted)::BIGINT as converted,
        (count(*) filter (where l.is_converted) / count(*))::DOUBLE as conversion_rate
    from lead_outcomes as l
    left join referred as r on l.lead_id = r.lead_id
    group by 1
    order by 1 desc
)

select * from final
