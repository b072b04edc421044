-- channel_conversion: lead conversion and spend efficiency per acquisition channel.
-- grain: one row per channel (channels with spend but no leads included)
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: channel VARCHAR, leads BIGINT, converted BIGINT, conversion_rate DOUBLE, ci_low DOUBLE,
--   ci_high DOUBLE, median_days_to_convert DOUBLE, revenue_365d DECIMAL(38,2), margin_365d DECIMAL(38,2),
--   spend DECIMAL(38,2), cpl DOUBLE, cpa DOUBLE, roas DOUBLE, roi DOUBLE, z_score DOUBLE, significance VARCHAR,
--   maturing_leads BIGINT
-- Leads created in the period. Converted: a won stage, or a conversion date without a lost stage. Interval:
-- 95% Wilson. Significance: two-proportion z-test of the channel against all other channels at 5%, only for
-- channels with 30 or more leads. Revenue: orders of the converted customer in the 365 days from conversion
-- (the lead's deal value when it names no customer). ROI uses margin when margin data exists, else revenue.
-- maturing_leads: leads younger than the channel's median days to convert (their outcome is not known yet).
-- Region and segment filters keep leads linked to a customer in scope; the channel filter applies to leads.
with scoped_customers as (
    select customer_id
    from customers
    where ($region is null or list_contains($region, region))
        and ($segment is null or list_contains($segment, segment))
),

period_leads as (
    select
        *,
        lower(trim(coalesce(stage, ''))) in (
            'won', 'closed won', 'closed-won', 'converted', 'customer', 'deal', '1', 'true', 'yes', 'y',
            '成交', '已成交', '赢单', '已转化', '转化', '已签约', '签约', '是'
        ) as is_won_stage,
        lower(trim(coalesce(stage, ''))) in (
            'lost', 'closed lost', 'closed-lost', 'disqualified', 'junk', '0', 'false', 'no', 'n',
            '输单', '丢单', '失败', '已流失', '无效', '否'
        ) as is_lost_stage
    from leads
    where created_at::DATE between $start and $end
        and ($channel is null or list_contains($channel, channel))
        and (
            ($region is null and $segment is null)
            or customer_id in (select customer_id from scoped_customers)
        )
),

classified as (
    select
        *,
        is_won_stage or (converted_at is not null and not is_lost_stage) as is_converted,
        date_diff('day', created_at, converted_at) as days_to_convert
    from period_leads
),

converted_revenue as (
    -- Orders of each converted customer in the 365 days from conversion (from lead creation if undated).
    select
        l.lead_id,
        sum(o.amount) as revenue,
        sum(o.gross_margin) as margin
    from classified as l
    inner join orders as o
        on l.customer_id = o.customer_id
        and o.order_date >= coalesce(l.converted_at, l.created_at)::DATE
        and o.order_date < coalesce(l.converted_at, l.created_at)::DATE + 365
    where l.is_converted
    group by l.lead_id
),

as_of as (
    select coalesce(least($end, max(created_at)::DATE), $end) as as_of_date from period_leads
),

by_channel as (
    select
        l.channel,
        count(*) as leads,
        count(*) filter (where l.is_converted) as converted,
        median(l.days_to_convert) filter (where l.is_converted and l.days_to_convert >= 0) as median_days,
        sum(case when l.is_converted then coalesce(r.revenue, case when l.customer_id is null then l.deal_value end)
            end) as revenue_365d,
        sum(case when l.is_converted then r.margin end) as margin_365d
    from classified as l
    left join converted_revenue as r on l.lead_id = r.lead_id
    group by l.channel
),

maturing as (
    select l.channel, count(*) as maturing_leads
    from classified as l
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
