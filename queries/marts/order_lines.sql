-- order_lines: the order lines with the customer's integer key, kept only while the other marts are built.
-- grain: one row per order line
-- mart: temporary, built first and dropped after the refresh
-- params: none
-- columns: ck INTEGER, order_date DATE, amount DECIMAL(18,2), gross_margin DECIMAL(18,2), order_hash UBIGINT,
--   category VARCHAR, filter_group INTEGER
-- One text join for all marts instead of one each. order_hash: a 64-bit hash of order_id (NULL without one);
-- two different ids of one customer on one day colliding is a 1 in 10^19 chance, and distinct counts on the hash
-- are several times cheaper than on the text. filter_group: the customer's (see marts/customer_keys).
with final as (
    select
        k.ck,
        o.order_date,
        o.amount,
        o.gross_margin,
        case when o.order_id is not null then hash(o.order_id) end as order_hash,
        o.category,
        k.filter_group
    from orders as o
    inner join _customer_keys as k on o.customer_id = k.customer_id
)

select * from final
