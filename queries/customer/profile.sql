-- profile: one customer's attributes and lifetime record: revenue, margin, orders, first and last order, NPS.
-- grain: one row (none when the customer is unknown)
-- params: $customer_id VARCHAR
-- columns: customer_id VARCHAR, name VARCHAR, region VARCHAR, segment VARCHAR, acquisition_channel VARCHAR,
--   referred_by VARCHAR, created_at TIMESTAMP, wallet DECIMAL(18,2), credit_rating VARCHAR, owner VARCHAR,
--   phone VARCHAR, email VARCHAR, wechat VARCHAR, lifetime_revenue DECIMAL(38,2), lifetime_margin DECIMAL(38,2),
--   orders BIGINT, first_order_date DATE, last_order_date DATE, categories VARCHAR, nps_responses BIGINT,
--   latest_nps INTEGER, referrals_made BIGINT, open_tickets BIGINT
-- Latest answer: the last by time; answers given at the same time are ordered by response id, then score, so
-- the pick is the same on every run.
with known as (
    select customer_id from customers where customer_id = $customer_id
    union
    select customer_id from orders where customer_id = $customer_id
),

order_totals as (
    select
        sum(amount) as lifetime_revenue,
        sum(gross_margin) as lifetime_margin,
        count(distinct order_id) + count(*) filter (where order_id is null) as orders,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        string_agg(distinct category, ', ' order by category) as categories
    from orders
    where customer_id = $customer_id
),

survey as (
    select count(*) as nps_responses, arg_max(score, (responded_at, coalesce(response_id, ''), score)) as latest_nps
    from nps
    where customer_id = $customer_id
),

final as (
    select
        k.customer_id,
        c.name,
        c.region,
        c.segment,
        c.acquisition_channel,
        c.referred_by,
        c.created_at,
        c.wallet,
        c.credit_rating,
        c.owner,
        c.phone,
        c.email,
        c.wechat,
        coalesce(o.lifetime_revenue, 0)::DECIMAL(38,2) as lifetime_revenue,
        o.lifetime_margin::DECIMAL(38,2) as lifetime_margin,
        coalesce(o.orders, 0)::BIGINT as orders,
        o.first_order_date,
        o.last_order_date,
        o.categories,
        s.nps_responses::BIGINT as nps_responses,
        s.latest_nps::INTEGER as latest_nps,
        (select count(*) from referrals where referrer_id = $customer_id)::BIGINT as referrals_made,
        (select count(*) from tickets where customer_id = $customer_id and resolved_at is null)::BIGINT
            as open_tickets
    from known as k
    left join customers as c on k.customer_id = c.customer_id
    cross join order_totals as o
    cross join survey as s
)

select * from final
