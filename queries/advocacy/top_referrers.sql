-- top_referrers: the customers who referred the most people in the period, with what those people bought.
-- grain: one row per referrer (at most 100)
-- uses: scope/filtered_customers
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: customer_id VARCHAR, name VARCHAR, owner VARCHAR, referrals BIGINT, referred_customers BIGINT,
--   referred_revenue DECIMAL(38,2), latest_nps INTEGER
-- Referred revenue: every order of the customers they referred (in the period) up to $end.
-- Latest answer: the last by time; answers given at the same time are ordered by response id, then score, so
-- the pick is the same on every run.
with period_referrals as (
    select *
    from referrals
    where referred_at::DATE between $start and $end
        and (
            ($region is null and $segment is null and $channel is null)
            or referrer_id in (select customer_id from filtered_customers)
        )
),

referred_revenue as (
    -- Through the integer keys and the order days: the same sums as the order lines, without a text join over them.
    select r.referrer_id, sum(d.revenue) as revenue
    from (select distinct referrer_id, referred_customer_id from period_referrals) as r
    inner join _customer_keys as k on r.referred_customer_id = k.customer_id
    inner join _customer_days as d on k.ck = d.ck and d.order_date <= $end
    group by r.referrer_id
),

latest_scores as (
    select customer_id, arg_max(score, (responded_at, coalesce(response_id, ''), score)) as latest_nps
    from nps
    where responded_at::DATE <= $end
        and customer_id in (select referrer_id from period_referrals)
    group by customer_id
),

top as (
    select
        p.referrer_id as customer_id,
        count(*)::BIGINT as referrals,
        count(distinct p.referred_customer_id)::BIGINT as referred_customers,
        coalesce(any_value(v.revenue), 0)::DECIMAL(38,2) as referred_revenue,
        any_value(s.latest_nps)::INTEGER as latest_nps
    from period_referrals as p
    left join referred_revenue as v on p.referrer_id = v.referrer_id
    left join latest_scores as s on p.referrer_id = s.customer_id
    group by p.referrer_id
    order by referrals desc, referred_revenue desc, customer_id
    limit 100
),

final as (
    -- Names for the hundred listed only, by row as in retention/dormant_customers.
    select
        t.customer_id,
        c.name,
        c.owner,
        t.referrals,
        t.referred_customers,
        t.referred_revenue,
        t.latest_nps
    from top as t
    left join (select customer_id, rowid as crow from customers) as cr on t.customer_id = cr.customer_id
    left join customers as c on c.rowid = cr.crow
    order by t.referrals desc, t.referred_revenue desc, t.customer_id
)

select * from final
