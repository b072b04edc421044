-- customer_categories: the days each customer bought each product category.
-- grain: one row per (customer, category, order date); lines without a category are left out
-- mart: rebuilt into table _customer_categories whenever orders or customers change
-- params: none
-- columns: ck INTEGER, category VARCHAR, order_date DATE
-- What the cross-buy look needs from order lines, keyed like customer_days.
with final as (
    select distinct ck, category, order_date
    from _order_lines
    where category is not null
)

select * from final
