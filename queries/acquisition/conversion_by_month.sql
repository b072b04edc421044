-- conversion_by_month: leads and conversions per lead-creation month and channel (lead cohorts).
-- grain: one row per (month, channel)
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: month DATE, channel VARCHAR, leads BIGINT, converted BIGINT, conversion_rate DOUBLE,
--   is_maturing BOOLEAN
-- Converted as in acquisition/channel_conversion. A cohort is still maturing while it is younger than the
-- median days to convert of all converted leads in the period (its rate will still rise).
with scoped_customers as (
    select customer_id
    from customers
    where ($region is null or list_contains($region, region))
        and ($segment is null or list_contains($segment, segment))
),

period_leads as (
    select
        created_at,
        channel,
        converted_at,
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
        date_trunc('month', created_at)::DATE as month,
        channel,
        is_won_stage or (converted_at is not null and not is_lost_stage) as is_converted,
        date_diff('day', created_at, converted_at) as days_to_convert,
        created_at
    from period_leads
),

maturity as (
    select
        coalesce(median(days_to_convert) filter (where is_converted and days_to_convert >= 0), 0) as median_days,
        max(created_at)::DATE as as_of_date
    from classified
),

final as (
    select
        c.month,
        c.channel,
        count(*)::BIGINT as leads,
        count(*) filter (where c.is_converted)::BIGINT as converted,
        (count(*) filter (where c.is_converted) / count(*))::DOUBLE as conversion_rate,
        date_diff('day', c.month, m.as_of_date) < m.median_days + 31 as is_maturing
    from classified as c
    cross join maturity as m
    group by c.month, c.channel, m.median_days, m.as_of_date
    order by c.month, c.channel
)

select * from final
