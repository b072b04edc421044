-- customer_looks: every customer's four looks (share of wallet, cross-buy, engagement, lifecycle stage).
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- cache: shared
-- uses: investment/customer_spend, investment/cross_buy, investment/engagement, scope/days_in_scope, scope/as_of
-- params: $start DATE, $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[]
--   (NULL = default)
-- columns: ck INTEGER, segment VARCHAR, first_order_date DATE, last_order_date DATE,
--   revenue_period DECIMAL(38,2), revenue_12m DECIMAL(38,2), wallet DOUBLE, wallet_source VARCHAR,
--   share_of_wallet DOUBLE, untapped_wallet DOUBLE, untapped_rank DOUBLE, cross_buy DOUBLE, engagement BIGINT,
--   engagement_rank DOUBLE, stage VARCHAR
-- The expensive half of the investment map, independent of the weights and splits the marketer moves: computed
-- once per period and filters (cache: shared) and read by investment/customer_scores. It puts together what the
-- blocks it uses compute once per as-of date and filters, whatever the period's start:
-- Look 1 (share of wallet, investment/customer_spend): percent_rank of the wallet not yet spent in 12 months.
-- Look 2 (cross-buy, investment/cross_buy): the share of its peers' popular categories it has not bought.
-- Look 3 (engagement, investment/engagement): percent_rank of its orders and other contacts in 90 days.
-- Look 4 (here): lifecycle stage (dormant: no order in W days; new: first order within 90 days; growth /
-- decline: last 6 months >= 1.2x / < 0.8x the 6 before; else mature), as of the latest order on or before $end.
-- revenue_period: the revenue from $start to the as-of date.
with settings as (
    select as_of_date, coalesce($window_days, 90) as window_days from as_of
),

before_start as (
    -- Each customer's last order day before the period (the one with $start between it and the next): its
    -- running total is what the period's revenue adds to.
    select ck, revenue_to_date
    from days_in_scope
    where order_date < $start and (next_date >= $start or next_date is null)
),

final as (
    select
        w.ck,
        w.segment,
        w.first_order_date,
        w.last_order_date,
        (w.revenue_to_date - coalesce(b.revenue_to_date, 0))::DECIMAL(38,2) as revenue_period,
        w.spend_12m::DECIMAL(38,2) as revenue_12m,
        w.wallet,
        w.wallet_source,
        w.share_of_wallet::DOUBLE as share_of_wallet,
        w.untapped_wallet::DOUBLE as untapped_wallet,
        w.untapped_rank::DOUBLE as untapped_rank,
        c.cross_buy,
        e.engagement,
        e.engagement_rank,
        case
            when w.last_order_date <= s.as_of_date - s.window_days then 'dormant'
            when w.first_order_date > s.as_of_date - 90 then 'new'
            when w.spend_6m > 0 and w.spend_6m >= 1.2 * w.spend_prior_6m then 'growth'
            when w.spend_6m < 0.8 * w.spend_prior_6m then 'decline'
            else 'mature'
        end as stage
    from customer_spend as w
    cross join settings as s
    inner join engagement as e on w.ck = e.ck
    left join cross_buy as c on w.ck = c.ck
    left join before_start as b on w.ck = b.ck
)

select * from final
