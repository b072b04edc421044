-- cohort_retention: share of each first-order cohort ordering again k months later, by customers and revenue.
-- grain: one row per (cohort month, months since first order) up to the as-of month; later cells are absent
-- uses: scope/customers_in_scope, scope/days_in_scope, scope/as_of
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: cohort_month DATE, months_since INTEGER, cohort_size BIGINT, active_customers BIGINT,
--   retention DOUBLE, revenue DECIMAL(38,2), revenue_retention DOUBLE
-- Cohorts are customers whose first order ever falls in the period; later months run to the as-of date.
with as_of_month as (
    select date_trunc('month', as_of_date)::DATE as as_of_month from as_of
),

cohorts as (
    select ck, date_trunc('month', first_order_date)::DATE as cohort_month
    from customers_in_scope
    where first_order_date between $start and $end
),

cohort_sizes as (
    select cohort_month, count(*)::BIGINT as cohort_size from cohorts group by cohort_month
),

activity as (
    select
        c.cohort_month,
        date_diff('month', c.cohort_month, d.order_date)::INTEGER as months_since,
        -- A customer's first order day of a month (previous order day before it) counts them once.
        count(*) filter (
            where d.previous_date is null or d.previous_date <= d.order_date - day(d.order_date)::INTEGER
        )::BIGINT as active_customers,
        sum(d.revenue)::DECIMAL(38,2) as revenue
    from days_in_scope as d
    inner join cohorts as c on d.ck = c.ck
    group by 1, 2
),

grid as (
    select s.cohort_month, s.cohort_size, k.months_since::INTEGER as months_since
    from cohort_sizes as s
    cross join as_of_month as m
    cross join range(0, 1000) as k(months_since)
    where k.months_since <= date_diff('month', s.cohort_month, m.as_of_month)
),

final as (
    select
        g.cohort_month,
        g.months_since,
        g.cohort_size,
        coalesce(a.active_customers, 0)::BIGINT as active_customers,
        (coalesce(a.active_customers, 0) / g.cohort_size)::DOUBLE as retention,
        coalesce(a.revenue, 0)::DECIMAL(38,2) as revenue,
        (coalesce(a.revenue, 0) / nullif(first_value(a.revenue) over (
            partition by g.cohort_month order by g.months_since
        ), 0))::DOUBLE as revenue_retention
    from grid as g
    left join activity as a on g.cohort_month = a.cohort_month and g.months_since = a.months_since
    order by g.cohort_month, g.months_since
)

select * from final
