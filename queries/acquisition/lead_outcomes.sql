-- lead_outcomes: every lead created in the period with whether it converted, how fast, and what it brought.
-- grain: one row per lead
-- cache: shared
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: lead_id VARCHAR, channel VARCHAR, campaign VARCHAR, stage VARCHAR, created_at TIMESTAMP,
--   created_month DATE, customer_id VARCHAR, is_converted BOOLEAN, days_to_convert BIGINT,
--   revenue_365d DECIMAL(38,2), margin_365d DECIMAL(38,2)
-- Converted: a won stage, or a conversion date without a lost stage (exports often stamp a close date on lost
-- deals). Revenue: orders of the converted customer in the 365 days from conversion (from creation when the
-- conversion is undated); the lead's deal value when it names no customer. Region and segment filters keep
-- leads linked to a customer in scope; the channel filter applies to the lead's channel. Computed once per
-- period and filters (cache: shared) for the acquisition queries built on it.
with scoped_customers as (
    -- Empty without a region or segment filter, so the test below builds no million-row list for nothing.
    select customer_id
    from _customer_keys
    where not ($region is null and $segment is null)
        and listed
        and ($region is null or list_contains($region, region))
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
        is_won_stage or (converted_at is not null and not is_lost_stage) as is_converted
    from period_leads
),

converted_revenue as (
    select
        l.lead_id,
        sum(d.revenue) as revenue,
        sum(d.margin) as margin
    from classified as l
    inner join _customer_keys as k on l.customer_id = k.customer_id
    inner join _customer_days as d
        on k.ck = d.ck
        and d.order_date >= coalesce(l.converted_at, l.created_at)::DATE
        and d.order_date < coalesce(l.converted_at, l.created_at)::DATE + 365
    where l.is_converted
    group by l.lead_id
),

final as (
    select
        l.lead_id,
        l.channel,
        l.campaign,
        l.stage,
        l.created_at,
        date_trunc('month', l.created_at)::DATE as created_month,
        l.customer_id,
        l.is_converted,
        case when l.is_converted then date_diff('day', l.created_at, l.converted_at) end as days_to_convert,
        case when l.is_converted
            then coalesce(r.revenue, case when l.customer_id is null then l.deal_value end)
        end::DECIMAL(38,2) as revenue_365d,
        case when l.is_converted then r.margin end::DECIMAL(38,2) as margin_365d
    from classified as l
    left join converted_revenue as r on l.lead_id = r.lead_id
)

select * from final
