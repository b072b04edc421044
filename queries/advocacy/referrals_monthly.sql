-- referrals_monthly: referrals made per month, and the share of new customers and of revenue that came by
--   referral.
-- grain: one row per calendar month of the period with referrals or new customers
-- uses: scope/filtered_customers, scope/customers_in_scope, scope/days_in_scope
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: month DATE, referrals BIGINT, new_customers BIGINT, referred_new_customers BIGINT,
--   referred_share DOUBLE, revenue DECIMAL(38,2), referred_revenue DECIMAL(38,2), referred_revenue_share DOUBLE
-- A customer came by referral when customers.referred_by is set or a referral names them. New customers: first
-- order in the month. Revenue: all orders in the month; referred revenue: those of referred customers.
with unfiltered as (
    select ($region is null and $segment is null and $channel is null) as is_all
),

referred as (
    -- Among the customers in scope: the others' referrals are never counted below.
    select k.ck
    from customers_in_scope as k
    where k.customer_id in (
        select customer_id from customers where referred_by is not null
        union
        select referred_customer_id from referrals where referred_customer_id is not null
    )
),

new_by_month as (
    select
        date_trunc('month', c.first_order_date)::DATE as month,
        count(*) as new_customers,
        count(*) filter (where c.ck in (select ck from referred)) as referred_new_customers
    from customers_in_scope as c
    where c.first_order_date <= $end
    group by 1
),

revenue_by_month as (
    select
        date_trunc('month', order_date)::DATE as month,
        sum(revenue) as revenue,
        sum(revenue) filter (where ck in (select ck from referred)) as referred_revenue
    from days_in_scope
    where order_date >= $start
    group by 1
),

referrals_by_month as (
    select date_trunc('month', r.referred_at)::DATE as month, count(*) as referrals
    from referrals as r
    cross join unfiltered as u
    where r.referred_at::DATE between $start and $end
        and (u.is_all or r.referrer_id in (select customer_id from filtered_customers))
    group by 1
),

months as (
    select month from revenue_by_month
    union
    select month from referrals_by_month
    union
    select month from new_by_month where month >= date_trunc('month', $start)
),

final as (
    select
        m.month,
        coalesce(r.referrals, 0)::BIGINT as referrals,
        coalesce(n.new_customers, 0)::BIGINT as new_customers,
        coalesce(n.referred_new_customers, 0)::BIGINT as referred_new_customers,
        (n.referred_new_customers / nullif(n.new_customers, 0))::DOUBLE as referred_share,
        coalesce(v.revenue, 0)::DECIMAL(38,2) as revenue,
        coalesce(v.referred_revenue, 0)::DECIMAL(38,2) as referred_revenue,
        (coalesce(v.referred_revenue, 0) / nullif(v.revenue, 0))::DOUBLE as referred_revenue_share
    from months as m
    left join referrals_by_month as r on m.month = r.month
    left join new_by_month as n on m.month = n.month
    left join revenue_by_month as v on m.month = v.month
    order by m.month
)

select * from final
