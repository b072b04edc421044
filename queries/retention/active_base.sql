-- active_base: today's customer base for the churn projection: customers active at the as-of date and what a
--   customer brings in a year.
-- grain: one row
-- uses: scope/days_in_scope, scope/as_of
-- params: $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: as_of DATE, active_customers BIGINT, revenue_12m DECIMAL(38,2), revenue_per_active DOUBLE
-- Active: an order in (as_of - W, as_of]. revenue_12m: revenue of those customers in (as_of - 12 months, as_of].
with bounds as (
    select
        as_of_date,
        as_of_date - coalesce($window_days, 90)::INTEGER as active_after,
        (as_of_date - interval 12 month)::DATE as year_after
    from as_of
),

recent as (
    -- One pass over the recent days: each customer's last order and 12-month revenue.
    select
        d.ck,
        max(d.order_date) as last_order_date,
        sum(d.revenue) filter (where d.order_date > b.year_after) as revenue
    from days_in_scope as d
    cross join bounds as b
    where d.order_date > least(b.active_after, b.year_after)
    group by d.ck
),

final as (
    select
        b.as_of_date as as_of,
        count(r.ck) filter (where r.last_order_date > b.active_after)::BIGINT as active_customers,
        coalesce(sum(r.revenue) filter (where r.last_order_date > b.active_after), 0)::DECIMAL(38,2) as revenue_12m,
        (coalesce(sum(r.revenue) filter (where r.last_order_date > b.active_after), 0)
            / nullif(count(r.ck) filter (where r.last_order_date > b.active_after), 0))::DOUBLE as revenue_per_active
    from bounds as b
    left join recent as r on true
    group by b.as_of_date
)

select * from final
