-- customer_quadrants: every customer's four looks, momentum, value potential, score and investment quadrant.
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- uses: scope/customers_in_scope, scope/days_in_scope
-- params: $start DATE, $end DATE, $window_days INTEGER, $w_wallet DOUBLE, $w_cross DOUBLE, $w_engagement DOUBLE,
--   $w_stage DOUBLE, $x_split DOUBLE, $y_split DOUBLE, $f_new DOUBLE, $f_growth DOUBLE, $f_mature DOUBLE,
--   $f_decline DOUBLE, $f_dormant DOUBLE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = default)
-- columns: customer_id VARCHAR, name VARCHAR, region VARCHAR, segment VARCHAR, owner VARCHAR, phone VARCHAR,
--   email VARCHAR, wechat VARCHAR, first_order_date DATE, last_order_date DATE, revenue_period DECIMAL(38,2),
--   revenue_12m DECIMAL(38,2), wallet DOUBLE, wallet_source VARCHAR, share_of_wallet DOUBLE,
--   untapped_wallet DOUBLE, untapped_rank DOUBLE, cross_buy DOUBLE, engagement BIGINT, engagement_rank DOUBLE,
--   stage VARCHAR, stage_factor DOUBLE, value_potential DOUBLE, momentum DOUBLE, score DOUBLE, quadrant VARCHAR
-- As-of date: the latest order on or before $end. Windows are half-open, (as_of - n months, as_of].
-- Look 1 (share of wallet): wallet = customers.wallet, else the larger of the customer's best spend in the three
-- 12-month windows and its segment's median 12-month spend (customers with positive spend); the look is
-- percent_rank(untapped wallet). Look 2 (cross-buy): adoption-weighted share of its group's popular categories
-- (bought by >= 20% of the segment in 24 months, all customers when no segment) it has not bought; NULL without
-- category data. Look 3: percent_rank of orders + interactions + NPS answers + referrals made in 90 days.
-- Look 4: lifecycle stage factor (dormant: no order in W days; new: first order within 90 days; growth / decline:
-- last 6 months >= 1.2x / < 0.8x the 6 before; else mature). Means are weighted and skip missing looks.
with as_of as (
    select max(order_date) as as_of_date from days_in_scope
),

settings as (
    select
        as_of_date,
        coalesce($window_days, 90) as window_days,
        coalesce($w_wallet, 1.0) as w_wallet,
        coalesce($w_cross, 1.0) as w_cross,
        coalesce($w_engagement, 1.0) as w_engagement,
        coalesce($w_stage, 1.0) as w_stage,
        coalesce($x_split, 50.0) as x_split,
        coalesce($y_split, 50.0) as y_split
    from as_of
),

customer_orders as (
    select
        d.ck,
        min(d.order_date) as first_order_date,
        max(d.order_date) as last_order_date,
        sum(d.revenue) filter (where d.order_date between $start and s.as_of_date) as revenue_period,
        coalesce(sum(d.revenue) filter (where d.order_date > s.as_of_date - interval 12 month), 0) as spend_12m,
        coalesce(sum(d.revenue) filter (
            where d.order_date > s.as_of_date - interval 24 month and d.order_date <= s.as_of_date - interval 12 month
        ), 0) as spend_prior_12m,
        coalesce(sum(d.revenue) filter (
            where d.order_date > s.as_of_date - interval 36 month and d.order_date <= s.as_of_date - interval 24 month
        ), 0) as spend_prior_24m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.as_of_date - interval 6 month), 0) as spend_6m,
        coalesce(sum(d.revenue) filter (
            where d.order_date > s.as_of_date - interval 12 month and d.order_date <= s.as_of_date - interval 6 month
        ), 0) as spend_prior_6m,
        coalesce(sum(d.orders) filter (where d.order_date > s.as_of_date - 90), 0) as orders_90d
    from days_in_scope as d
    cross join settings as s
    group by d.ck
),

in_scope as (
    select
        co.*, k.customer_id, c.name, c.region, c.segment, c.owner, c.phone, c.email, c.wechat,
        c.wallet as given_wallet
    from customer_orders as co
    inner join _customer_keys as k on co.ck = k.ck
    left join customers as c on k.customer_id = c.customer_id
),

segment_medians as (
    select segment, median(spend_12m::DOUBLE) as median_spend
    from in_scope
    where segment is not null and spend_12m > 0
    group by segment
),

wallets as (
    select
        i.*,
        coalesce(
            i.given_wallet::DOUBLE,
            greatest(i.spend_12m, i.spend_prior_12m, i.spend_prior_24m, coalesce(m.median_spend, 0))::DOUBLE
        ) as wallet,
        case when i.given_wallet is not null then 'given' else 'estimated' end as wallet_source
    from in_scope as i
    left join segment_medians as m on i.segment = m.segment
),

bought_24m as (
    select distinct b.ck, b.category
    from _customer_categories as b
    cross join settings as s
    semi join customers_in_scope as c on b.ck = c.ck
    where b.order_date > s.as_of_date - interval 24 month and b.order_date <= s.as_of_date
),

group_sizes as (
    select coalesce(segment, '') as grp, count(*) as n from in_scope where segment is not null group by segment
    union all
    select '', count(*) from in_scope
),

adoption as (
    -- Share of each group buying each category: per segment, and over all customers (group '').
    select g.grp, b.category, count(distinct b.ck) / any_value(g.n) as adoption
    from bought_24m as b
    inner join in_scope as i on b.ck = i.ck
    inner join group_sizes as g on g.grp = coalesce(i.segment, '') or g.grp = ''
    group by g.grp, b.category
),

popular as (
    select grp, category, adoption from adoption where adoption >= 0.2
),

cross_buy as (
    select
        i.ck,
        coalesce(sum(p.adoption) filter (where b.category is null), 0) / sum(p.adoption) as cross_buy
    from in_scope as i
    inner join popular as p on p.grp = coalesce(i.segment, '')
    left join bought_24m as b on i.ck = b.ck and p.category = b.category
    group by i.ck
),

activity_90d as (
    select customer_id, count(*) as events
    from interactions cross join settings as s
    where occurred_at::DATE > s.as_of_date - 90 and occurred_at::DATE <= s.as_of_date
    group by customer_id
    union all
    select customer_id, count(*)
    from nps cross join settings as s
    where customer_id is not null and responded_at::DATE > s.as_of_date - 90 and responded_at::DATE <= s.as_of_date
    group by customer_id
    union all
    select referrer_id, count(*)
    from referrals cross join settings as s
    where referred_at::DATE > s.as_of_date - 90 and referred_at::DATE <= s.as_of_date
    group by referrer_id
),

engagement as (
    select customer_id, sum(events) as events from activity_90d group by customer_id
),

looks as (
    select
        w.*,
        -- Rounded to 1e-6 so float noise (2630.0 vs 2629.9999999) never splits a tie in the ranking.
        round(greatest(w.wallet - w.spend_12m, 0), 6) as untapped_wallet,
        w.spend_12m / nullif(w.wallet, 0) as share_of_wallet,
        c.cross_buy,
        (w.orders_90d + coalesce(e.events, 0))::BIGINT as engagement,
        case
            when w.last_order_date <= s.as_of_date - s.window_days then 'dormant'
            when w.first_order_date > s.as_of_date - 90 then 'new'
            when w.spend_6m > 0 and w.spend_6m >= 1.2 * w.spend_prior_6m then 'growth'
            when w.spend_6m < 0.8 * w.spend_prior_6m then 'decline'
            else 'mature'
        end as stage
    from wallets as w
    cross join settings as s
    left join cross_buy as c on w.ck = c.ck
    left join engagement as e on w.customer_id = e.customer_id
),

ranked as (
    select
        *,
        percent_rank() over (order by untapped_wallet) as untapped_rank,
        percent_rank() over (order by engagement) as engagement_rank,
        case stage
            when 'new' then coalesce($f_new, 0.7)
            when 'growth' then coalesce($f_growth, 1.0)
            when 'mature' then coalesce($f_mature, 0.5)
            when 'decline' then coalesce($f_decline, 0.3)
            else coalesce($f_dormant, 0.1)
        end as stage_factor
    from looks
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
        customer_id,
        name,
        region,
        segment,
        owner,
        phone,
        email,
        wechat,
        first_order_date,
        last_order_date,
        coalesce(revenue_period, 0)::DECIMAL(38,2) as revenue_period,
        spend_12m::DECIMAL(38,2) as revenue_12m,
        wallet::DOUBLE as wallet,
        wallet_source,
        share_of_wallet::DOUBLE as share_of_wallet,
        untapped_wallet::DOUBLE as untapped_wallet,
        untapped_rank::DOUBLE as untapped_rank,
        cross_buy::DOUBLE as cross_buy,
        engagement,
        engagement_rank::DOUBLE as engagement_rank,
        stage,
        stage_factor::DOUBLE as stage_factor,
        value_potential::DOUBLE as value_potential,
        momentum::DOUBLE as momentum,
        score::DOUBLE as score,
        case
            when momentum >= x_split and value_potential >= y_split then 'growth_stock'
            when momentum >= x_split then 'cash_cow'
            when value_potential >= y_split then 'sleeping_gold'
            else 'low_efficiency'
        end as quadrant
    from scored
    order by score desc, ck
)

select * from final
