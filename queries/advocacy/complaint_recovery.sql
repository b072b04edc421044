-- complaint_recovery: complaints resolved versus unresolved, how fast they were resolved, and how many of those
--   customers ordered again within 90 days.
-- grain: one row per outcome ('resolved', 'unresolved')
-- uses: scope/filtered_customers
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: outcome VARCHAR, complaints BIGINT, share_of_complaints DOUBLE, median_days_to_resolve DOUBLE,
--   followed_complaints BIGINT, repurchased BIGINT, repurchase_rate DOUBLE
-- Complaints: tickets of kind complaint (every ticket when the export has no kinds) opened in the period.
-- Repurchase: an order in the 90 days after resolution (after opening when unresolved); only complaints with
-- 90 days of data after them count (followed_complaints), so the two rates compare like with like.
with has_kinds as (
    select count(kind) > 0 as has_kind from tickets
),

complaints as (
    select
        t.ticket_id,
        t.customer_id,
        t.opened_at,
        t.resolved_at,
        case when t.resolved_at is not null then 'resolved' else 'unresolved' end as outcome,
        coalesce(t.resolved_at, t.opened_at)::DATE as follow_from
    from tickets as t
    cross join has_kinds as h
    where t.opened_at::DATE between $start and $end
        and (not h.has_kind or lower(t.kind) in ('complaint', '投诉'))
        and (
            ($region is null and $segment is null and $channel is null)
            or t.customer_id in (select customer_id from filtered_customers)
        )
),

as_of as (
    select max(order_date) as as_of_date from orders where order_date <= $end
),

followed as (
    select
        c.*,
        c.follow_from + 90 <= a.as_of_date as is_followed,
        exists (
            select 1 from orders as o
            where o.customer_id = c.customer_id and o.order_date > c.follow_from and o.order_date <= c.follow_from + 90
        ) as repurchased
    from complaints as c
    cross join as_of as a
),

final as (
    select
        outcome,
        count(*)::BIGINT as complaints,
        (count(*) / sum(count(*)) over ())::DOUBLE as share_of_complaints,
        median(date_diff('second', opened_at, resolved_at) / 86400.0)::DOUBLE as median_days_to_resolve,
        count(*) filter (where is_followed)::BIGINT as followed_complaints,
        count(*) filter (where is_followed and repurchased)::BIGINT as repurchased,
        (count(*) filter (where is_followed and repurchased)
            / nullif(count(*) filter (where is_followed), 0))::DOUBLE as repurchase_rate
    from followed
    group by outcome
    order by outcome
)

select * from final
