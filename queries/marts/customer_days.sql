-- customer_days: each customer's orders folded to one row per day, with the previous and next order day.
-- grain: one row per (customer, order date)
-- mart: rebuilt into table _customer_days whenever orders or customers change
-- order: filter_group
-- params: none
-- columns: ck INTEGER, order_date DATE, revenue DECIMAL(18,2), margin DECIMAL(18,2), orders INTEGER,
--   previous_date DATE, next_date DATE, revenue_to_date DECIMAL(18,2), orders_to_date BIGINT, filter_group INTEGER
-- Every customer metric (values, churn, cohorts, gaps, lifecycle) needs no finer grain than this, and at 10M
-- order lines it saves each query a text group-by, a distinct count and a window. orders: distinct order ids
-- that day plus lines without an id. margin: NULL when no line of the day has one. revenue_to_date and
-- orders_to_date: the customer's running totals through that day, so a customer's value as of any date is read
-- off one row (the last order day on or before it) instead of summing all the days before it; 18 digits hold
-- any one customer's lifetime revenue. filter_group: the customer's (see marts/customer_keys), so a filtered query
-- picks days by group (scope/days_in_scope); the days are stored in group order, so it skips the blocks of days of
-- the other groups (one region: 0.20 -> 0.11 s for scope/days_in_scope at ten million days, for 1.8 s at load).
with per_day as materialized (
    -- A distinct count per group is the slow part of this grouping; min and max of the id hash settle it for
    -- days with one order or two lines, which are nearly all of them. Materialized: read twice below.
    select
        ck,
        order_date,
        sum(amount) as revenue,
        sum(gross_margin) as margin,
        count(order_hash) as id_lines,
        min(order_hash) as low_hash,
        max(order_hash) as high_hash,
        count(*) - count(order_hash) as lines_without_id,
        any_value(filter_group) as filter_group
    from _order_lines
    group by ck, order_date
),

busy_days as (
    -- Three or more lines of at least two orders on one day: count the ids exactly.
    select l.ck, l.order_date, count(distinct l.order_hash) as ids
    from _order_lines as l
    semi join (select ck, order_date from per_day where id_lines > 2 and low_hash <> high_hash) as b
        on l.ck = b.ck and l.order_date = b.order_date
    group by l.ck, l.order_date
),

counted as (
    select
        p.ck,
        p.order_date,
        p.revenue,
        p.margin,
        p.lines_without_id + case
            when p.id_lines = 0 then 0
            when p.low_hash = p.high_hash then 1
            when p.id_lines = 2 then 2
            else b.ids
        end as orders,
        p.filter_group
    from per_day as p
    left join busy_days as b on p.ck = b.ck and p.order_date = b.order_date
),

final as (
    select
        ck,
        order_date,
        revenue::DECIMAL(18,2) as revenue,
        margin::DECIMAL(18,2) as margin,
        orders::INTEGER as orders,
        lag(order_date) over (partition by ck order by order_date) as previous_date,
        lead(order_date) over (partition by ck order by order_date) as next_date,
        sum(revenue) over (partition by ck order by order_date)::DECIMAL(18,2) as revenue_to_date,
        sum(orders) over (partition by ck order by order_date)::BIGINT as orders_to_date,
        filter_group
    from counted
)

select * from final
