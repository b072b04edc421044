-- customer_categories: the product categories each customer bought, with the days they bought them.
-- grain: one row per (customer, category); lines without a category are left out
-- mart: rebuilt into table _customer_categories whenever orders or customers change
-- params: none
-- columns: ck INTEGER, segment VARCHAR, category VARCHAR, last_date DATE, dates DATE[]
-- What the cross-buy look needs from order lines, keyed like customer_days: "bought in (a, b]" is
-- last_date > a and a day of the list in (a, b], a few rows a customer instead of one per order line. segment:
-- the customer's, which the look groups buyers by; carried here so it does not join the keys on every call.
with bought as (
    select ck, category, max(order_date) as last_date, list(order_date) as dates
    from _order_lines
    where category is not null
    group by ck, category
),

final as (
    select b.ck, k.segment, b.category, b.last_date, b.dates
    from bought as b
    inner join _customer_keys as k on b.ck = k.ck
)

select * from final
