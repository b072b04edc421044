-- orders_in_scope: the orders the global filters select, up to the end of the period.
-- grain: one row per order line on or before $end
-- uses: scope/customers_in_scope
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: order_id VARCHAR, customer_id VARCHAR, order_date DATE, amount DECIMAL(18,2),
--   gross_margin DECIMAL(18,2), cost DECIMAL(18,2), product VARCHAR, category VARCHAR, sales_channel VARCHAR,
--   quantity DOUBLE
-- With no customer filter every order counts, including orders of customers the customers table does not
-- list; with one, only orders of customers in scope.
with final as (
    select *
    from orders
    where order_date <= $end
        and (
            ($region is null and $segment is null and $channel is null)
            or customer_id in (select customer_id from customers_in_scope)
        )
)

select * from final
