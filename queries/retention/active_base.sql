-- active_base: today's customer base for the churn projection: customers active at the as-of date and what a
--   customer brings in a year.
-- grain: one row
-- uses: scope/days_in_scope
-- params: $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: as_of DATE, active_customers BIGINT, revenue_12m DECIMAL(38,2), revenue_per_active DOUBLE
-- Active: an order in (as_of - W, as_of]. revenue_12m: revenue of those customers in (as_of - 12 months, as_of].
with as_of as (
    select max(order_date) as as_of_date from days_in_scope
),

active as (
    select distinct d.ck
    from days_in_scope as d
    cross join as_of as a
    where d.order_date > a.as_of_date - coalesce($window_days, 90)::INTEGER
),

final as (
    select
        a.as_of_date as as_of,
        (select count(*) from active)::BIGINT as active_customers,
        coalesce(sum(d.revenue), 0)::DECIMAL(38,2) as revenue_12m,
        (coalesce(sum(d.revenue), 0) / nullif((select count(*) from active), 0))::DOUBLE as revenue_per_active
    from as_of as a
    left join days_in_scope as d
        on d.order_date > a.as_of_date - interval 12 month
        and d.ck in (select ck from active)
    group by a.as_of_date
)

select * from final
