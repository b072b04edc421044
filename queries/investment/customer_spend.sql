-- customer_spend: each customer's spending in the investment look windows, and its wallet look.
-- grain: one row per customer with an order on or before the as-of date (within the customer filters)
-- cache: shared
-- uses: marts/customer_windows, scope/filtered_customers, scope/as_of
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, segment VARCHAR, first_order_date DATE, last_order_date DATE,
--   revenue_to_date DECIMAL(18,2), spend_12m DECIMAL(38,2), spend_prior_12m DECIMAL(38,2),
--   spend_prior_24m DECIMAL(38,2), spend_6m DECIMAL(38,2), spend_prior_6m DECIMAL(38,2), orders_90d BIGINT,
--   wallet DOUBLE, wallet_source VARCHAR, untapped_wallet DOUBLE, share_of_wallet DOUBLE, untapped_rank DOUBLE
-- The windows (marts/customer_windows) are read from the load's table when the as-of date is the data's last
-- order day, and computed otherwise. Independent of the period's start, the weights and the dormancy window, so
-- changing those reuses it from the cache. Look 1 of investment/customer_looks: wallet = customers.wallet, else
-- the larger of the customer's best spend in the three 12-month windows and its segment's median 12-month spend
-- (customers in scope with positive spend); untapped_wallet = wallet - spend_12m (at least 0), ranked among the
-- customers in scope by percent_rank (rows with a smaller value / (rows - 1)).
with stored as (
    select w.* exclude (filter_group, as_of_date)
    from _customer_windows as w
    where $end is not null
        and w.as_of_date = (select as_of_date from as_of)
        and (
            ($region is null and $segment is null and $channel is null)
            or w.filter_group in (select filter_group from filtered_customers)
        )
),

computed as (
    -- Empty when the rows are stored (see marts/customer_windows).
    select * exclude (filter_group, as_of_date) from customer_windows
),

in_scope as (
    select w.*, k.segment, k.wallet as given_wallet
    from (select * from stored union all select * from computed) as w
    inner join _customer_keys as k on w.ck = k.ck
),

segment_medians as (
    select segment, median(spend_12m::DOUBLE) as median_spend
    from in_scope
    where segment is not null and spend_12m > 0
    group by segment
),

wallets as (
    select
        i.ck,
        i.segment,
        i.first_order_date,
        i.last_order_date,
        i.revenue_to_date,
        i.spend_12m,
        i.spend_prior_12m,
        i.spend_prior_24m,
        i.spend_6m,
        i.spend_prior_6m,
        i.orders_90d,
        coalesce(
            i.given_wallet::DOUBLE,
            greatest(i.spend_12m, i.spend_prior_12m, i.spend_prior_24m, coalesce(m.median_spend, 0))::DOUBLE
        ) as wallet,
        case when i.given_wallet is not null then 'given' else 'estimated' end as wallet_source
    from in_scope as i
    left join segment_medians as m on i.segment = m.segment
),

untapped as (
    -- Rounded to 1e-6 so float noise (2630.0 vs 2629.9999999) never splits a tie in the ranking.
    select ck, round(greatest(wallet - spend_12m, 0), 6) as untapped_wallet from wallets
),

ranks as (
    -- Sorting two narrow columns, not every customer's whole row.
    select ck, untapped_wallet, percent_rank() over (order by untapped_wallet) as untapped_rank from untapped
),

final as (
    select w.*, r.untapped_wallet, w.spend_12m / nullif(w.wallet, 0) as share_of_wallet, r.untapped_rank
    from wallets as w
    inner join ranks as r on w.ck = r.ck
)

select * from final
