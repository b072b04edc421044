-- timeline: everything that happened with one customer (orders, leads, interactions, survey answers, tickets,
--   referrals), newest first.
-- grain: one row per event
-- params: $customer_id VARCHAR
-- columns: occurred_at TIMESTAMP, kind VARCHAR, title VARCHAR, detail VARCHAR, amount DECIMAL(18,2)
with events as (
    select order_date::TIMESTAMP as occurred_at, 'order' as kind, coalesce(order_id, '') as title,
        concat_ws(' · ', product, category, sales_channel) as detail, amount
    from orders where customer_id = $customer_id
    union all
    select created_at, 'lead', lead_id, concat_ws(' · ', channel, campaign, stage), deal_value
    from leads where customer_id = $customer_id
    union all
    select occurred_at, 'interaction', kind, concat_ws(' · ', direction, owner, note), null
    from interactions where customer_id = $customer_id
    union all
    select responded_at, 'nps', score::VARCHAR, concat_ws(' · ', touchpoint, comment), null
    from nps where customer_id = $customer_id
    union all
    select opened_at, 'ticket', ticket_id,
        concat_ws(' · ', kind, case when resolved_at is null then 'open' else 'resolved ' || resolved_at::DATE end),
        null
    from tickets where customer_id = $customer_id
    union all
    select referred_at, 'referral', coalesce(referred_customer_id, referred_lead_id, ''), '', null
    from referrals where referrer_id = $customer_id
),

final as (
    select occurred_at, kind, title, detail, amount::DECIMAL(18,2) as amount
    from events
    order by occurred_at desc, kind
)

select * from final
