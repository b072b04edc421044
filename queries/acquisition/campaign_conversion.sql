-- campaign_conversion: leads, conversion, revenue and spend per channel and campaign (the drill-down).
-- grain: one row per (channel, campaign); campaign NULL when the export has none
-- uses: acquisition/lead_outcomes
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: channel VARCHAR, campaign VARCHAR, leads BIGINT, converted BIGINT, conversion_rate DOUBLE,
--   revenue_365d DECIMAL(38,2), spend DECIMAL(38,2), roas DOUBLE
-- Spend is matched on channel and campaign name; campaigns with spend but no leads are included.
with by_campaign as (
    select
        channel,
        campaign,
        count(*) as leads,
        count(*) filter (where is_converted) as converted,
        sum(revenue_365d) as revenue_365d
    from lead_outcomes
    group by channel, campaign
),

spend as (
    select channel, campaign, sum(spend) as spend
    from ad_spend
    where month between date_trunc('month', $start) and $end
        and ($channel is null or list_contains($channel, channel))
    group by channel, campaign
),

final as (
    select
        coalesce(b.channel, s.channel) as channel,
        coalesce(b.campaign, s.campaign) as campaign,
        coalesce(b.leads, 0)::BIGINT as leads,
        coalesce(b.converted, 0)::BIGINT as converted,
        (b.converted / nullif(b.leads, 0))::DOUBLE as conversion_rate,
        b.revenue_365d::DECIMAL(38,2) as revenue_365d,
        s.spend::DECIMAL(38,2) as spend,
        (coalesce(b.revenue_365d, 0) / nullif(s.spend, 0))::DOUBLE as roas
    from by_campaign as b
    full outer join spend as s
        on b.channel = s.channel and b.campaign is not distinct from s.campaign
    order by channel, leads desc, campaign
)

select * from final
