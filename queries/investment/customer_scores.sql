-- customer_scores: every customer's momentum, value potential, score and investment quadrant.
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- uses: investment/customer_looks, investment/stage_factors
-- params: $start DATE, $end DATE, $window_days INTEGER, $w_wallet DOUBLE, $w_cross DOUBLE, $w_engagement DOUBLE,
--   $w_stage DOUBLE, $x_split DOUBLE, $y_split DOUBLE, $f_new DOUBLE, $f_growth DOUBLE, $f_mature DOUBLE,
--   $f_decline DOUBLE, $f_dormant DOUBLE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = default)
-- columns: ck INTEGER, segment VARCHAR, first_order_date DATE, last_order_date DATE,
--   revenue_period DECIMAL(38,2), revenue_12m DECIMAL(38,2), wallet DOUBLE, wallet_source VARCHAR,
--   share_of_wallet DOUBLE, untapped_wallet DOUBLE, untapped_rank DOUBLE, cross_buy DOUBLE, engagement BIGINT,
--   engagement_rank DOUBLE, stage VARCHAR, stage_factor DOUBLE, value_potential DOUBLE, momentum DOUBLE,
--   score DOUBLE, quadrant VARCHAR
-- The looks (investment/customer_looks) weighted into the two axes: value potential (y) = weighted mean of the
-- wallet and cross-buy looks, momentum (x) = of engagement and the stage factor; score = weighted mean of all
-- four. Means skip missing looks (cross-buy without category data). An axis whose looks all weigh 0 has nothing to
-- average: it is NULL, and so are the score (when all four weigh 0) and the quadrant (no quadrant without both
-- axes), never NaN nor a quadrant made up from a missing axis; the Investment page asks for a weight instead.
-- Keyed by ck, in no particular order (the queries built on it count, sample or pick the best few);
-- investment/customer_quadrants adds ids and contacts.
with settings as (
    select
        coalesce($w_wallet, 1.0) as w_wallet,
        coalesce($w_cross, 1.0) as w_cross,
        coalesce($w_engagement, 1.0) as w_engagement,
        coalesce($w_stage, 1.0) as w_stage,
        coalesce($x_split, 50.0) as x_split,
        coalesce($y_split, 50.0) as y_split
),

ranked as (
    -- Every look's stage is one of the five (investment/customer_looks), so none is lost in the join.
    select l.*, f.factor as stage_factor
    from customer_looks as l
    inner join stage_factors as f on l.stage = f.stage
),

scored as (
    select
        r.*,
        100 * (s.w_wallet * r.untapped_rank + s.w_cross * coalesce(r.cross_buy, 0))
            / nullif(s.w_wallet + case when r.cross_buy is null then 0 else s.w_cross end, 0) as value_potential,
        100 * (s.w_engagement * r.engagement_rank + s.w_stage * r.stage_factor)
            / nullif(s.w_engagement + s.w_stage, 0) as momentum,
        100 * (s.w_wallet * r.untapped_rank + s.w_cross * coalesce(r.cross_buy, 0)
            + s.w_engagement * r.engagement_rank + s.w_stage * r.stage_factor)
            / nullif(s.w_wallet + case when r.cross_buy is null then 0 else s.w_cross end
                + s.w_engagement + s.w_stage, 0) as score,
        s.x_split,
        s.y_split
    from ranked as r
    cross join settings as s
),

final as (
    select
        s.ck,
        s.segment,
        s.first_order_date,
        s.last_order_date,
        s.revenue_period,
        s.revenue_12m,
        s.wallet::DOUBLE as wallet,
        s.wallet_source,
        s.share_of_wallet::DOUBLE as share_of_wallet,
        s.untapped_wallet::DOUBLE as untapped_wallet,
        s.untapped_rank::DOUBLE as untapped_rank,
        s.cross_buy::DOUBLE as cross_buy,
        s.engagement,
        s.engagement_rank::DOUBLE as engagement_rank,
        s.stage,
        s.stage_factor::DOUBLE as stage_factor,
        s.value_potential::DOUBLE as value_potential,
        s.momentum::DOUBLE as momentum,
        s.score::DOUBLE as score,
        case
            when s.momentum is null or s.value_potential is null then null
            when s.momentum >= s.x_split and s.value_potential >= s.y_split then 'growth_stock'
            when s.momentum >= s.x_split then 'cash_cow'
            when s.value_potential >= s.y_split then 'sleeping_gold'
            else 'low_efficiency'
        end as quadrant
    from scored as s
)

select * from final
