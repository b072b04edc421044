-- customer_looks: every customer's four looks (share of wallet, cross-buy, engagement, lifecycle stage).
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- cache: shared
-- uses: scope/filtered_customers, scope/customers_in_scope, scope/days_in_scope, scope/as_of
-- params: $start DATE, $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[]
--   (NULL = default)
-- columns: ck INTEGER, segment VARCHAR, first_order_date DATE, last_order_date DATE,
--   revenue_period DECIMAL(38,2), revenue_12m DECIMAL(38,2), wallet DOUBLE, wallet_source VARCHAR,
--   share_of_wallet DOUBLE, untapped_wallet DOUBLE, untapped_rank DOUBLE, cross_buy DOUBLE, engagement BIGINT,
--   engagement_rank DOUBLE, stage VARCHAR
-- The expensive half of the investment map, independent of the weights and splits the marketer moves: computed
-- once per period and filters (cache: shared) and read by investment/customer_scores.
-- As-of date: the latest order on or before $end. Windows are half-open, (as_of - n months, as_of].
-- Look 1 (share of wallet): wallet = customers.wallet, else the larger of the customer's best spend in the three
-- 12-month windows and its segment's median 12-month spend (customers with positive spend); the look is
-- percent_rank(untapped wallet). Look 2 (cross-buy): adoption-weighted share of its group's popular categories
-- (bought by >= 20% of the segment in 24 months, all customers when no segment) it has not bought; NULL without
-- category data. Look 3: percent_rank of orders + interactions + NPS answers + referrals made in 90 days.
-- Look 4: lifecycle stage factor (dormant: no order in W days; new: first order within 90 days; growth / decline:
-- last 6 months >= 1.2x / < 0.8x the 6 before; else mature). Means are weighted and skip missing looks.
with settings as (
    -- Window starts as dates: comparing a date column with "date - interval" would cast every row to a timestamp.
    select
        as_of_date,
        coalesce($window_days, 90) as window_days,
        as_of_date - 90 as from_90d,
        (as_of_date - interval 6 month)::DATE as from_6m,
        (as_of_date - interval 12 month)::DATE as from_12m,
        (as_of_date - interval 24 month)::DATE as from_24m,
        (as_of_date - interval 36 month)::DATE as from_36m
    from as_of
),

customer_orders as (
    select
        d.ck,
        min(d.order_date) as first_order_date,
        max(d.order_date) as last_order_date,
        -- days_in_scope ends at $end and as_of is its last day: no upper bound is needed below.
        sum(d.revenue) filter (where d.order_date >= $start) as revenue_period,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_12m), 0) as spend_12m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_24m and d.order_date <= s.from_12m), 0)
            as spend_prior_12m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_36m and d.order_date <= s.from_24m), 0)
            as spend_prior_24m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_6m), 0) as spend_6m,
        coalesce(sum(d.revenue) filter (where d.order_date > s.from_12m and d.order_date <= s.from_6m), 0)
            as spend_prior_6m,
        coalesce(sum(d.orders) filter (where d.order_date > s.from_90d), 0) as orders_90d
    from days_in_scope as d
    cross join settings as s
    group by d.ck
),

in_scope as (
    -- Only what the looks need: contact details are joined to the result, not carried through every step.
    select co.*, k.segment, k.wallet as given_wallet
    from customer_orders as co
    inner join _customer_keys as k on co.ck = k.ck
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
    -- A purchase in the window is an order on or before the as-of date, so every buyer the customer filters keep
    -- is in scope: no join with in_scope needed. A last purchase inside the window settles it without reading
    -- the list of days (always so when the as-of date is the data's last day). grp: the customer's segment, or ''.
    select b.ck, coalesce(b.segment, '') as grp, b.category
    from _customer_categories as b
    cross join settings as s
    where b.last_date > s.from_24m
        and (
            b.last_date <= s.as_of_date
            or len(list_filter(b.dates, lambda d: d > s.from_24m and d <= s.as_of_date)) > 0
        )
        and (
            ($region is null and $segment is null and $channel is null)
            or b.ck in (select ck from filtered_customers)
        )
),

group_sizes as (
    select segment as grp, count(*) as n from in_scope where segment is not null group by segment
    union all
    select '', count(*) from in_scope
),

adoption as (
    -- Share of each group buying each category: per segment, and over all customers (group ''). bought_24m has
    -- one row per customer and category, so counting rows counts buyers.
    select b.grp, b.category, b.buyers, b.buyers / g.n as adoption
    from (
        select grp, category, count(*) as buyers from bought_24m where grp <> '' group by all
        union all
        select '', category, count(*) from bought_24m group by all
    ) as b
    inner join group_sizes as g on b.grp = g.grp
),

popular as (
    select grp, category, buyers from adoption where adoption >= 0.2
),

popular_totals as (
    select grp, sum(buyers) as buyers from popular group by grp
),

popular_bought as (
    select b.ck, sum(p.buyers) as buyers
    from bought_24m as b
    inner join popular as p on b.grp = p.grp and b.category = p.category
    group by b.ck
),

cross_buy as (
    -- The popular categories not bought, weighted by adoption: 1 - (adoption of those bought) / (adoption of all
    -- of them). Adoptions in a group share its size as denominator, so the ratio is one of buyer counts: integer
    -- sums, exact in any order, so the look (and every ranking on it) is the same on every run.
    -- Customers whose group has no popular category have no cross-buy look.
    select i.ck, (t.buyers - coalesce(b.buyers, 0)) / t.buyers as cross_buy
    from in_scope as i
    inner join popular_totals as t on t.grp = coalesce(i.segment, '')
    left join popular_bought as b on i.ck = b.ck
),

activity_90d as (
    -- One row per event in (as_of - 90 days, as_of], compared as timestamps so no event is cast to a date.
    select i.customer_id
    from interactions as i
    cross join settings as s
    where i.occurred_at >= (s.from_90d + 1)::TIMESTAMP and i.occurred_at < (s.as_of_date + 1)::TIMESTAMP
    union all
    select n.customer_id
    from nps as n
    cross join settings as s
    where n.responded_at >= (s.from_90d + 1)::TIMESTAMP and n.responded_at < (s.as_of_date + 1)::TIMESTAMP
    union all
    select r.referrer_id
    from referrals as r
    cross join settings as s
    where r.referred_at >= (s.from_90d + 1)::TIMESTAMP and r.referred_at < (s.as_of_date + 1)::TIMESTAMP
),

engagement as (
    -- Looked up among the customers in scope: with a filter, the others' events are dropped here, not counted.
    select k.ck, count(*) as events
    from activity_90d as a
    inner join customers_in_scope as k on a.customer_id = k.customer_id
    group by k.ck
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
    left join engagement as e on w.ck = e.ck
),

value_ranks as (
    -- percent_rank = (rows with a smaller value) / (rows - 1), computed on the distinct values: sorting two
    -- narrow columns instead of every customer's whole row twice.
    select
        look,
        value,
        coalesce(
            (sum(n) over (partition by look order by value) - n) / nullif(sum(n) over (partition by look) - 1, 0), 0
        ) as value_rank
    from (
        select 'wallet' as look, untapped_wallet::DOUBLE as value, count(*) as n from looks group by 2
        union all
        select 'engagement', engagement::DOUBLE, count(*) from looks group by 2
    )
),

ranked as (
    select l.*, w.value_rank as untapped_rank, e.value_rank as engagement_rank
    from looks as l
    inner join value_ranks as w on w.look = 'wallet' and w.value = l.untapped_wallet::DOUBLE
    inner join value_ranks as e on e.look = 'engagement' and e.value = l.engagement::DOUBLE
),

final as (
    select
        ck,
        segment,
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
        stage
    from ranked
)

select * from final
