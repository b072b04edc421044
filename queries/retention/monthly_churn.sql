-- monthly_churn: customers active at the start of each month, how many churned in it, and reactivations.
-- grain: one row per calendar month from the period's first month to the as-of month (per group when grouped)
-- cache: shared
-- uses: scope/customers_in_scope, scope/days_in_scope
-- params: $start DATE, $end DATE, $window_days INTEGER, $group_by VARCHAR ('segment' | 'region' | 'channel'),
--   $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all, ungrouped)
-- columns: month DATE, group_value VARCHAR, active_start BIGINT, churned BIGINT, churn_rate DOUBLE,
--   reactivated BIGINT, new_customers BIGINT, is_partial BOOLEAN
-- A customer is active on day d when they ordered in (d - W, d]; they churn on (last order + W) when no order
-- follows within W days. A churn counts in the month holding the customer's last active day (churn date - 1),
-- among customers active on the month's first day, and only once it has happened by the as-of date.
-- Reactivated: customers ordering in the month more than W days after their previous order. With $group_by,
-- every count is split by the customer's segment, region or acquisition channel (NULL when unknown).
with spells as (
    -- Only spells still holding their customer after the period's first month began (order + W and the next
    -- order both later): one that ended by then adds one start and one end before every reported month (no
    -- change to any count), and its churn and order fall in earlier months. The group is looked up only when
    -- asked for: joining ten million days to the keys for nothing costs more than the rest of the query.
    select
        d.ck,
        null::VARCHAR as group_value,
        d.order_date,
        d.previous_date as previous_order_date,
        d.next_date as next_order_date
    from days_in_scope as d
    where $group_by is null
        and d.order_date > date_trunc('month', $start)::DATE - coalesce($window_days, 90)::INTEGER
        and (d.next_date is null or d.next_date > date_trunc('month', $start)::DATE)
    union all
    select
        d.ck,
        case $group_by
            when 'segment' then k.segment
            when 'region' then k.region
            when 'channel' then k.channel
        end,
        d.order_date,
        d.previous_date,
        d.next_date
    from days_in_scope as d
    inner join _customer_keys as k on d.ck = k.ck
    where $group_by is not null
        and d.order_date > date_trunc('month', $start)::DATE - coalesce($window_days, 90)::INTEGER
        and (d.next_date is null or d.next_date > date_trunc('month', $start)::DATE)
),

as_of as (
    -- The as-of date and the first order day, without scope/as_of's second read of every customer-day. The
    -- latest day in scope is the latest spell whenever it is recent enough to be one; when it is not, no month of
    -- the period has data and the NULL here reports none, as an earlier as-of date would. The first order day is
    -- the customers' earliest first order.
    select
        (select max(order_date) from spells) as as_of_date,
        (select min(first_order_date) from customers_in_scope where first_order_date <= $end) as first_date
),

spell_days as (
    -- The spells counted per group, order day and end day (the next order or order + W, whichever is first),
    -- with whether they end in a churn by the as-of date: a few ten thousand rows, so the month arithmetic below
    -- runs on those instead of on millions of spells (a third of this query's time before). A churning spell has
    -- no order within W days, so it ends on its churn date.
    select
        s.group_value,
        s.order_date,
        least(s.order_date + w.days, coalesce(s.next_order_date, s.order_date + w.days)) as end_date,
        (s.next_order_date is null or s.next_order_date - s.order_date > w.days)
            and s.order_date + w.days <= a.as_of_date as churns,
        count(*) as spells
    from spells as s
    cross join as_of as a
    cross join (select coalesce($window_days, 90)::INTEGER as days) as w
    group by all
),

spell_counts as (
    -- The days a spell keeps its customer active: [order, end day). A month's first day F is inside it when the
    -- span starts on or before F and ends after F, so the customers active on F are the spans started by F minus
    -- those ended by F: two running counts, no range join. "The first of a month on or after x" is
    -- last_day(x - 1) + 1: date arithmetic only. churn_month: the month holding the last active day (churn date
    -- - 1), for customers active on its first day (their last order on or before it); NULL for no churn.
    select
        group_value,
        last_day(order_date - 1) + 1 as starts_by,
        last_day(end_date - 1) + 1 as ends_by,
        case
            when churns and order_date <= date_trunc('month', end_date - 1)
                then date_trunc('month', end_date - 1)::DATE
        end as churn_month,
        sum(spells) as spells
    from spell_days
    group by all
),

calendar as (
    select unnest(generate_series(
        date_trunc('month', first_date), date_trunc('month', as_of_date) + interval 1 month, interval 1 month
    ))::DATE as month
    from as_of
),

months as (
    select c.month
    from calendar as c
    cross join as_of as a
    where c.month between date_trunc('month', greatest($start, a.first_date)) and date_trunc('month', a.as_of_date)
        and a.as_of_date >= $start
),

grid as (
    select m.month, g.group_value
    from months as m
    cross join (select distinct group_value from spell_counts) as g
),

span_events as (
    select group_value, starts_by as month, sum(spells) as started, 0 as ended from spell_counts group by 1, 2
    union all
    select group_value, ends_by, 0, sum(spells) from spell_counts group by 1, 2
),

active_start as (
    select
        c.month,
        g.group_value,
        sum(coalesce(e.started, 0) - coalesce(e.ended, 0)) over (
            partition by g.group_value order by c.month rows unbounded preceding
        )::BIGINT as active_start
    from calendar as c
    cross join (select distinct group_value from spell_counts) as g
    left join (
        select month, group_value, sum(started) as started, sum(ended) as ended from span_events group by 1, 2
    ) as e on c.month = e.month and g.group_value is not distinct from e.group_value
),

churned as (
    select churn_month as month, group_value, sum(spells)::BIGINT as churned
    from spell_counts
    where churn_month is not null
    group by 1, 2
),

reactivated as (
    select
        date_trunc('month', order_date)::DATE as month,
        group_value,
        count(distinct ck)::BIGINT as reactivated
    from spells
    where previous_order_date is not null and order_date - previous_order_date > coalesce($window_days, 90)
    group by 1, 2
),

new_customers as (
    select
        date_trunc('month', c.first_order_date)::DATE as month,
        case $group_by
            when 'segment' then k.segment
            when 'region' then k.region
            when 'channel' then k.channel
        end as group_value
    from customers_in_scope as c
    inner join _customer_keys as k on c.ck = k.ck
    where c.first_order_date <= $end
),

new_by_month as (
    select month, group_value, count(*)::BIGINT as new_customers from new_customers group by month, group_value
),

final as (
    select
        m.month,
        m.group_value,
        coalesce(a.active_start, 0)::BIGINT as active_start,
        coalesce(c.churned, 0)::BIGINT as churned,
        (coalesce(c.churned, 0) / nullif(a.active_start, 0))::DOUBLE as churn_rate,
        coalesce(r.reactivated, 0)::BIGINT as reactivated,
        coalesce(n.new_customers, 0)::BIGINT as new_customers,
        (m.month + interval 1 month)::DATE - 1 > as_of.as_of_date as is_partial
    from grid as m
    cross join as_of
    left join active_start as a on m.month = a.month and m.group_value is not distinct from a.group_value
    left join churned as c on m.month = c.month and m.group_value is not distinct from c.group_value
    left join reactivated as r on m.month = r.month and m.group_value is not distinct from r.group_value
    left join new_by_month as n on m.month = n.month and m.group_value is not distinct from n.group_value
    order by m.month, m.group_value
)

select * from final
