-- lead_facts: every lead with its outcome: whether it converted, how fast, and what it brought in 365 days.
-- grain: one row per lead
-- mart: rebuilt into table _lead_facts whenever leads, orders or customers change
-- params: none
-- columns: lead_id VARCHAR, channel VARCHAR, campaign VARCHAR, stage VARCHAR, created_at TIMESTAMP,
--   created_date DATE, created_month DATE, customer_id VARCHAR, ck INTEGER, is_converted BOOLEAN,
--   days_to_convert BIGINT, revenue_365d DECIMAL(38,2), margin_365d DECIMAL(38,2)
-- A lead's outcome does not depend on the period or filters a page asks for, only on the leads and the orders,
-- so it is worked out once per load and acquisition/lead_outcomes picks the leads of a period from it.
-- Converted: a won stage, or a conversion date without a lost stage (exports often stamp a close date on lost
-- deals). Revenue: orders of the converted customer in the 365 days from conversion (from creation when the
-- conversion is undated); the lead's deal value when it names no customer. ck: the customer's key (NULL when
-- the customer is in neither orders nor customers).
with classified as (
    select
        l.*,
        k.ck,
        lower(trim(coalesce(l.stage, ''))) in (
            'won', 'closed won', 'closed-won', 'converted', 'customer', 'deal', '1', 'true', 'yes', 'y',
            '成交', '已成交', '赢单', '已转化', '转化', '已签约', '签约', '是'
        ) as is_won_stage,
        lower(trim(coalesce(l.stage, ''))) in (
            'lost', 'closed lost', 'closed-lost', 'disqualified', 'junk', '0', 'false', 'no', 'n',
            '输单', '丢单', '失败', '已流失', '无效', '否'
        ) as is_lost_stage
    from leads as l
    left join _customer_keys as k on l.customer_id = k.customer_id
),

outcomes as (
    select *, is_won_stage or (converted_at is not null and not is_lost_stage) as is_converted
    from classified
),

converted_revenue as (
    select
        l.lead_id,
        sum(d.revenue) as revenue,
        sum(d.margin) as margin
    from outcomes as l
    inner join _customer_days as d
        on l.ck = d.ck
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
        l.created_at::DATE as created_date,
        date_trunc('month', l.created_at)::DATE as created_month,
        l.customer_id,
        l.ck,
        l.is_converted,
        case when l.is_converted then date_diff('day', l.created_at, l.converted_at) end as days_to_convert,
        case when l.is_converted
            then coalesce(r.revenue, case when l.customer_id is null then l.deal_value end)
        end::DECIMAL(38,2) as revenue_365d,
        case when l.is_converted then r.margin end::DECIMAL(38,2) as margin_365d
    from outcomes as l
    left join converted_revenue as r on l.lead_id = r.lead_id
)

select * from final
