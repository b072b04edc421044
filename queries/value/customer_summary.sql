-- customer_summary: each customer's purchase history in the terms of the lifetime-value models, at a calibration end.
-- grain: one row per customer in scope with an order on or before the calibration end
-- uses: scope/days_in_scope
-- params: $end DATE (NULL = the data's last order day), $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[]
--   (NULL = all)
-- columns: ck INTEGER, customer_id VARCHAR, calibration_end DATE, first_purchase DATE, last_purchase DATE,
--   frequency BIGINT, recency_weeks DOUBLE, age_weeks DOUBLE, avg_repeat_value DOUBLE, total_value DECIMAL(38,2)
-- The summary BG/NBD and Gamma-Gamma are fitted on (Fader, Hardie & Lee 2005; DESIGN.md section 5), time in
-- weeks as in the literature. A purchase is an order day (marts/customer_days: several orders on one day are one
-- purchase). frequency: purchase days after the first; recency_weeks: (last - first purchase day) / 7;
-- age_weeks: (calibration end - first purchase day) / 7; avg_repeat_value: the mean of the repeat days' totals
-- (the first day excluded; NULL for a one-time buyer; a day netted below zero by a refund counts as it is, the
-- spend model keeps positive values only); total_value: every day's total up to the calibration end.
with calibration as (
    select coalesce($end, (select max(last_order_date) from _customer_keys)) as calibration_end
),

per_customer as (
    select
        d.ck,
        min(d.order_date) as first_purchase,
        max(d.order_date) as last_purchase,
        count(*) - 1 as frequency,
        -- The customer's first day is the one without an earlier order day.
        avg(d.revenue) filter (where d.previous_date is not null) as avg_repeat_value,
        sum(d.revenue) as total_value
    from days_in_scope as d
    group by d.ck
),

final as (
    select
        p.ck,
        k.customer_id,
        c.calibration_end,
        p.first_purchase,
        p.last_purchase,
        p.frequency::BIGINT as frequency,
        date_diff('day', p.first_purchase, p.last_purchase) / 7.0 as recency_weeks,
        date_diff('day', p.first_purchase, c.calibration_end) / 7.0 as age_weeks,
        p.avg_repeat_value::DOUBLE as avg_repeat_value,
        p.total_value::DECIMAL(38,2) as total_value
    from per_customer as p
    inner join _customer_keys as k on p.ck = k.ck
    cross join calibration as c
)

select * from final
order by ck
