-- channel_conversion: lead conversion and spend efficiency per acquisition channel.
-- grain: one row per channel (channels with spend but no leads included)
-- uses: acquisition/lead_outcomes
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: channel VARCHAR, leads BIGINT, converted BIGINT, conversion_rate DOUBLE, ci_low DOUBLE,
--   ci_high DOUBLE, median_days_to_convert DOUBLE, revenue_365d DECIMAL(38,2), margin_365d DECIMAL(38,2),
--   spend DECIMAL(38,2), cpl DOUBLE, cpa DOUBLE, roas DOUBLE, roi DOUBLE, z_score DOUBLE, significance VARCHAR,
--   maturing_leads BIGINT
-- Leads, conversion and revenue as in acquisition/lead_outcomes. Interval: 95% Wilson. Significance: two-
-- proportion z-test of the channel against all other channels at 5%, only for channels with 30 or more leads.
-- ROI uses margin when margin data exists, else revenue. maturing_leads: leads younger than the channel's
-- median days to convert (their outcome is not known yet). Spend: ad_spend months overlapping the period.
with as_of as (
    select coalesce(least($end, max(created_at)::DATE), $end) as as_of_date from lead_outcomes
),

by_channel as (
    select
        channel,
        count(*) as leads,
        count(*) filter (where is_converted) as converted,
        median(days_to_convert) filter (where days_to_convert >= 0) as median_days,
        sum(revenue_365d) as revenue_365d,
        sum(margin_365d) as margin_365d
    from lead_outcomes
    group by channel
),

maturing as (
    select l.channel, count(*) as maturing_leads
    from lead_outcomes as l
    inner join by_channel as b on l.channel = b.channel
    cross join as_of
    where date_diff('day', l.created_at::DATE, as_of.as_of_date) < coalesce(b.median_days, 0)
    group by l.channel
),

spend as (
    select channel, sum(spend) as spend
    from ad_spend
    where month between date_trunc('month', $start) and $end
        and ($channel is null or list_contains($channel, channel))
    group by channel
),

joined as (
    select
        coalesce(b.channel, s.channel) as channel,
        coalesce(b.leads, 0) as leads,
        coalesce(b.converted, 0) as converted,
        b.median_days,
        b.revenue_365d,
        b.margin_365d,
        s.spend,
        coalesce(m.maturing_leads, 0) as maturing_leads
    from by_channel as b
    full outer join spend as s on b.channel = s.channel
    left join maturing as m on b.channel = m.channel
),

overall as (
    select sum(leads) as all_leads, sum(converted) as all_converted from joined
),

rates as (
    select
        j.*,
        o.all_leads,
        o.all_converted,
        j.converted / nullif(j.leads, 0) as p,
        (o.all_converted - j.converted) / nullif(o.all_leads - j.leads, 0) as p_rest,
        o.all_converted / nullif(o.all_leads, 0) as p_pool,
        1.959964 as z
    from joined as j
    cross join overall as o
),

tests as (
    select
        *,
        case
            when leads >= 30 and all_leads - leads > 0 and p_pool > 0 and p_pool < 1
                then (p - p_rest) / sqrt(p_pool * (1 - p_pool) * (1 / leads + 1 / (all_leads - leads)))
        end as z_score
    from rates
),

final as (
    select
        channel,
        leads::BIGINT as leads,
        converted::BIGINT as converted,
        p::DOUBLE as conversion_rate,
        case when leads > 0 then
            ((p + z * z / (2 * leads)) - z * sqrt(p * (1 - p) / leads + z * z / (4 * leads * leads)))
            / (1 + z * z / leads)
        end::DOUBLE as ci_low,
        case when leads > 0 then
            ((p + z * z / (2 * leads)) + z * sqrt(p * (1 - p) / leads + z * z / (4 * leads * leads)))
            / (1 + z * z / leads)
        end::DOUBLE as ci_high,
        median_days::DOUBLE as median_days_to_convert,
        revenue_365d::DECIMAL(38,2) as revenue_365d,
        margin_365d::DECIMAL(38,2) as margin_365d,
        spend::DECIMAL(38,2) as spend,
        (spend / nullif(leads, 0))::DOUBLE as cpl,
        (spend / nullif(converted, 0))::DOUBLE as cpa,
        (coalesce(revenue_365d, 0) / nullif(spend, 0))::DOUBLE as roas,
        ((coalesce(margin_365d, revenue_365d, 0) - spend) / nullif(spend, 0))::DOUBLE as roi,
        z_score::DOUBLE as z_score,
        case when z_score > 1.959964 then 'above' when z_score < -1.959964 then 'below' else 'none' end
            as significance,
        maturing_leads::BIGINT as maturing_leads
    from tests
    order by leads desc, channel
)

select * from final
