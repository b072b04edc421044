-- map_points: the customers drawn on the investment map: all of them up to $max_points, else the largest by
--   12-month revenue, the selected customer and an even random sample of the rest.
-- grain: one row per customer drawn
-- uses: investment/customer_scores
-- params: $start DATE, $end DATE, $window_days INTEGER, $w_wallet DOUBLE, $w_cross DOUBLE, $w_engagement DOUBLE,
--   $w_stage DOUBLE, $x_split DOUBLE, $y_split DOUBLE, $f_new DOUBLE, $f_growth DOUBLE, $f_mature DOUBLE,
--   $f_decline DOUBLE, $f_dormant DOUBLE, $max_points INTEGER, $customer_id VARCHAR, $region VARCHAR[],
--   $segment VARCHAR[], $channel VARCHAR[] (NULL = default; max_points defaults to 4000)
-- columns: customer_id VARCHAR, name VARCHAR, segment VARCHAR, revenue_12m DECIMAL(38,2), momentum DOUBLE,
--   value_potential DOUBLE, score DOUBLE, quadrant VARCHAR, stage VARCHAR, is_sampled BOOLEAN, total_customers BIGINT
-- The sample is a stable hash of the customer key, so the same customers stay on the map as sliders move.
with limits as (
    select
        coalesce($max_points, 4000) as max_points,
        least(coalesce($max_points, 4000) / 4, 1000) as keep_largest,
        (select count(*) from customer_scores) as total_customers
),

largest as (
    -- The largest by 12-month revenue: a top-N pick, not a sort of every customer.
    select ck
    from customer_scores
    order by revenue_12m desc, ck
    limit (select floor(keep_largest)::INTEGER from limits)
),

drawn as (
    select
        r.*,
        l.total_customers,
        l.total_customers > l.max_points and r.ck not in (select ck from largest) as is_sampled
    from customer_scores as r
    cross join limits as l
    where l.total_customers <= l.max_points
        or r.ck in (select ck from largest)
        or r.ck = (select ck from _customer_keys where customer_id = $customer_id)
        or hash(r.ck) % 1000003
        < 1000003 * (l.max_points - l.keep_largest) / (l.total_customers - l.keep_largest)
),

final as (
    select
        k.customer_id,
        c.name,
        r.segment,
        r.revenue_12m,
        r.momentum,
        r.value_potential,
        r.score,
        r.quadrant,
        r.stage,
        r.is_sampled,
        r.total_customers::BIGINT as total_customers
    from drawn as r
    inner join _customer_keys as k on r.ck = k.ck
    left join customers as c on k.customer_id = c.customer_id
    order by r.score desc, r.ck
)

select * from final
