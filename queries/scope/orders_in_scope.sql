-- orders_in_scope: the orders the global filters select, up to the end of the period.
-- grain: one row per order line on or before $end
-- uses: scope/customers_in_scope
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: order_id VARCHAR, customer_id VARCHAR, order_date DATE, amount DECIMAL(18,2),
--   gross_margin DECIMAL(18,2), cost DECIMAL(18,2), product VARCHAR, category VARCHAR, sales_channel VARCHAR,
--   quantity DOUBLE
-- With no customer filter every order counts, including orders of customers the customers table does not
-- list; with one, only orders of customers in scope.
with unfiltered as (
    -- Without a customer filter there is nothing to join: a plain scan instead of a semi-join over all orders.
    select *
    from orders
    where order_date <= $end and $region is null and $segment is null and $channel is null
),

filtered as (
    select o.*
    from orders as o
    semi join customers_in_scope as c on o.customer_id = c.customer_id
    where o.order_date <= $end and not ($region is null and $segment is null and $channel is null)
),

final as (
    select * from unfiltered
    union all
    select * from filtered
)

select * from final
