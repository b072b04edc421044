-- engagement: each customer's engagement look: orders, interactions, NPS answers and referrals in 90 days.
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- cache: shared
-- uses: investment/customer_spend, scope/customers_in_scope, scope/as_of
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, engagement BIGINT, engagement_rank DOUBLE
-- Look 3 of investment/customer_looks. The window is (as_of - 90 days, as_of], the as-of date being the latest
-- order on or before $end; engagement_rank: its percent_rank among the customers in scope (rows with a smaller
-- engagement / (rows - 1)).
with settings as (
    select as_of_date, as_of_date - 90 as from_90d from as_of
),

activity_90d as (
    -- One row per event, compared as timestamps so no event is cast to a date.
    select i.customer_id
    from interactions as i
    cross join settings as s
    where i.occurred_at >= (s.from_90d + 1)::TIMESTAMP and i.occurred_at < (s.as_of_date + 1)::TIMESTAMP
    union all
    select n.customer_id
    from nps as n
    cross join settings as s
    where n.responded_at >= (s.from_90d + 1)::TIMESTAMP and n.responded_at < (s.as_of_date + 1)::TIMESTAMP
    union all
    select r.referrer_id
    from referrals as r
    cross join settings as s
    where r.referred_at >= (s.from_90d + 1)::TIMESTAMP and r.referred_at < (s.as_of_date + 1)::TIMESTAMP
),

events as (
    -- Looked up among the customers in scope: with a filter, the others' events are dropped here, not counted.
    select k.ck, count(*) as events
    from activity_90d as a
    inner join customers_in_scope as k on a.customer_id = k.customer_id
    group by k.ck
),

engaged as (
    select s.ck, (s.orders_90d + coalesce(e.events, 0))::BIGINT as engagement
    from customer_spend as s
    left join events as e on s.ck = e.ck
),

value_ranks as (
    -- Ranked on the distinct values (a few dozen), not by sorting a million rows.
    select
        engagement,
        coalesce((sum(n) over (order by engagement) - n) / nullif(sum(n) over () - 1, 0), 0) as engagement_rank
    from (select engagement, count(*) as n from engaged group by engagement)
),

final as (
    select e.ck, e.engagement, r.engagement_rank::DOUBLE as engagement_rank
    from engaged as e
    inner join value_ranks as r on e.engagement = r.engagement
)

select * from final
