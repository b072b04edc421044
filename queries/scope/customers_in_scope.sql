-- customers_in_scope: the customers the global filters select, with their first and last order dates.
-- grain: one row per customer: every customer of orders or the customers table with no filter, else those of
--   scope/filtered_customers
-- uses: scope/filtered_customers
-- params: $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, customer_id VARCHAR, first_order_date DATE, last_order_date DATE
-- With no filter, orders of customers the customers table does not list still count.
with final as (
    -- The filtered customers carry their order span: no lookup of their keys in the whole table.
    select ck, customer_id, first_order_date, last_order_date
    from _customer_keys
    where $region is null and $segment is null and $channel is null
    union all
    select ck, customer_id, first_order_date, last_order_date
    from filtered_customers
)

select * from final
