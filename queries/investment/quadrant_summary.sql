-- quadrant_summary: customers, revenue share, untapped wallet and average score of each investment quadrant.
-- grain: one row per quadrant (all four, also when empty)
-- uses: investment/customer_scores
-- params: $start DATE, $end DATE, $window_days INTEGER, $w_wallet DOUBLE, $w_cross DOUBLE, $w_engagement DOUBLE,
--   $w_stage DOUBLE, $x_split DOUBLE, $y_split DOUBLE, $f_new DOUBLE, $f_growth DOUBLE, $f_mature DOUBLE,
--   $f_decline DOUBLE, $f_dormant DOUBLE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = default)
-- columns: quadrant VARCHAR, customers BIGINT, revenue_12m DECIMAL(38,2), revenue_share DOUBLE,
--   untapped_wallet DOUBLE, avg_score DOUBLE, avg_momentum DOUBLE, avg_value_potential DOUBLE, with_cross_buy BIGINT
-- Built on investment/customer_scores with the same parameters, so the summary always matches the map.
with quadrants as (
    select * from (values
        ('growth_stock', 1), ('cash_cow', 2), ('sleeping_gold', 3), ('low_efficiency', 4)
    ) as q (quadrant, position)
),

by_quadrant as (
    select
        quadrant,
        count(*) as customers,
        sum(revenue_12m) as revenue_12m,
        -- Summed as decimals: a float sum over a million customers comes out in a different last digit on each
        -- run (the threads add in a different order); the looks are already rounded to 1e-6.
        sum(untapped_wallet::DECIMAL(38,6)) as untapped_wallet,
        avg(score::DECIMAL(38,12)) as avg_score,
        avg(momentum::DECIMAL(38,12)) as avg_momentum,
        avg(value_potential::DECIMAL(38,12)) as avg_value_potential,
        count(cross_buy) as with_cross_buy
    from customer_scores
    group by quadrant
),

final as (
    select
        q.quadrant,
        coalesce(b.customers, 0)::BIGINT as customers,
        coalesce(b.revenue_12m, 0)::DECIMAL(38,2) as revenue_12m,
        (b.revenue_12m / nullif(sum(b.revenue_12m) over (), 0))::DOUBLE as revenue_share,
        coalesce(b.untapped_wallet, 0)::DOUBLE as untapped_wallet,
        b.avg_score::DOUBLE as avg_score,
        b.avg_momentum::DOUBLE as avg_momentum,
        b.avg_value_potential::DOUBLE as avg_value_potential,
        coalesce(b.with_cross_buy, 0)::BIGINT as with_cross_buy
    from quadrants as q
    left join by_quadrant as b on q.quadrant = b.quadrant
    order by q.position
)

select * from final
