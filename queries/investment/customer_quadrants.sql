-- customer_quadrants: customers on the investment map with their looks, score and quadrant, and how to reach them.
-- grain: one row per customer with an order on or before the as-of date (within the customer filters), or only
--   those of $quadrant, only $customer_id, only the first $limit
-- uses: investment/customer_scores
-- params: $start DATE, $end DATE, $window_days INTEGER, $w_wallet DOUBLE, $w_cross DOUBLE, $w_engagement DOUBLE,
--   $w_stage DOUBLE, $x_split DOUBLE, $y_split DOUBLE, $f_new DOUBLE, $f_growth DOUBLE, $f_mature DOUBLE,
--   $f_decline DOUBLE, $f_dormant DOUBLE, $quadrant VARCHAR, $customer_id VARCHAR, $limit INTEGER,
--   $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = default, every quadrant, every customer)
-- columns: customer_id VARCHAR, name VARCHAR, region VARCHAR, segment VARCHAR, owner VARCHAR, phone VARCHAR,
--   email VARCHAR, wechat VARCHAR, first_order_date DATE, last_order_date DATE, revenue_period DECIMAL(38,2),
--   revenue_12m DECIMAL(38,2), wallet DOUBLE, wallet_source VARCHAR, share_of_wallet DOUBLE,
--   untapped_wallet DOUBLE, untapped_rank DOUBLE, cross_buy DOUBLE, engagement BIGINT, engagement_rank DOUBLE,
--   stage VARCHAR, stage_factor DOUBLE, value_potential DOUBLE, momentum DOUBLE, score DOUBLE, quadrant VARCHAR
-- Highest score first (ties by id). Definitions: investment/customer_looks and investment/customer_scores.
with picked as (
    select *
    from customer_scores
    where ($quadrant is null or quadrant = $quadrant)
        and ($customer_id is null or ck = (select ck from _customer_keys where customer_id = $customer_id))
    order by score desc, ck
    limit coalesce($limit, 2147483647)
),

final as (
    select
        k.customer_id,
        c.name,
        k.region,
        p.segment,
        c.owner,
        c.phone,
        c.email,
        c.wechat,
        p.* exclude (ck, segment)
    from picked as p
    inner join _customer_keys as k on p.ck = k.ck
    left join customers as c on k.customer_id = c.customer_id
    order by p.score desc, p.ck
)

select * from final
