-- referral_rate_by_nps: how often promoters, passives and detractors refer someone.
-- grain: one row per NPS category
-- uses: scope/filtered_customers
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: category VARCHAR, customers BIGINT, referrers BIGINT, referral_rate DOUBLE
-- Category: the customer's latest answer up to $end (promoter 9-10, passive 7-8, detractor 0-6). Referrer: made
-- at least one referral in the period.
-- Latest answer: the last by time; answers given at the same time are ordered by response id, then score, so
-- the pick is the same on every run.
with latest as (
    select customer_id, arg_max(score, (responded_at, coalesce(response_id, ''), score)) as score
    from nps
    where customer_id is not null and responded_at::DATE <= $end
        and (
            ($region is null and $segment is null and $channel is null)
            or customer_id in (select customer_id from filtered_customers)
        )
    group by customer_id
),

referrers as (
    select distinct referrer_id from referrals where referred_at::DATE between $start and $end
),

final as (
    select
        case when l.score >= 9 then 'promoter' when l.score >= 7 then 'passive' else 'detractor' end as category,
        count(*)::BIGINT as customers,
        count(r.referrer_id)::BIGINT as referrers,
        (count(r.referrer_id) / count(*))::DOUBLE as referral_rate
    from latest as l
    left join referrers as r on l.customer_id = r.referrer_id
    group by 1
    order by case category when 'promoter' then 1 when 'passive' then 2 else 3 end
)

select * from final
