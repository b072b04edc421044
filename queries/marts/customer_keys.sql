-- customer_keys: one small integer key per customer id, with the customer's filter attributes and order span.
-- grain: one row per customer id found in orders or in the customers table
-- mart: rebuilt into table _customer_keys whenever orders or customers change
-- params: none
-- columns: ck INTEGER, customer_id VARCHAR, listed BOOLEAN, region VARCHAR, segment VARCHAR, channel VARCHAR,
--   filter_group INTEGER, wallet DECIMAL(18,2), first_order_date DATE, last_order_date DATE
-- Keys follow customer_id order, so "ties by id" can order by ck. Queries group and join on ck: an integer hash
-- is several times cheaper than a text one at a million customers. listed: the customer is in the customers
-- table (a customer filter keeps only listed customers). wallet: the given yearly wallet, for the investment looks.
-- filter_group: one number per (region, segment, channel) of the listed customers (NULL for the others), carried
-- to the order days so a filter selects days by a few dozen group numbers instead of a million keys.
with spans as (
    select customer_id, min(order_date) as first_order_date, max(order_date) as last_order_date
    from orders
    group by customer_id
),

filter_groups as (
    -- Numbered by a join, not by dense_rank over the customers: that sorts a million rows for a few dozen numbers.
    -- In region, segment, channel order: one region's groups are consecutive numbers, and the order days are
    -- stored in group order (marts/customer_days), so a region filter reads only that region's blocks of days.
    select *, row_number() over (order by region, segment, channel)::INTEGER as filter_group
    from (select distinct region, segment, acquisition_channel as channel from customers)
),

final as (
    select
        row_number() over (order by coalesce(c.customer_id, s.customer_id))::INTEGER as ck,
        coalesce(c.customer_id, s.customer_id) as customer_id,
        c.customer_id is not null as listed,
        c.region,
        c.segment,
        c.acquisition_channel as channel,
        g.filter_group,
        c.wallet,
        s.first_order_date,
        s.last_order_date
    from customers as c
    full join spans as s on c.customer_id = s.customer_id
    left join filter_groups as g
        on c.customer_id is not null
        and c.region is not distinct from g.region
        and c.segment is not distinct from g.segment
        and c.acquisition_channel is not distinct from g.channel
)

select * from final
