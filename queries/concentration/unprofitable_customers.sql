-- unprofitable_customers: customers whose gross margin in the period is negative, largest loss first.
-- grain: one row per unprofitable customer
-- uses: concentration/customer_ranks
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: customer_id VARCHAR, name VARCHAR, owner VARCHAR, segment VARCHAR, phone VARCHAR, email VARCHAR,
--   revenue DECIMAL(38,2), margin DECIMAL(38,2), orders BIGINT, unprofitable_customers BIGINT,
--   total_loss DECIMAL(38,2)
-- unprofitable_customers and total_loss (the margin they lose, as a positive amount) are the whole list's, on
-- every row, so the page's sentence needs no sum of its own.
with final as (
    select
        k.customer_id,
        c.name,
        c.owner,
        c.segment,
        c.phone,
        c.email,
        r.revenue,
        r.margin,
        r.orders,
        count(*) over () as unprofitable_customers,
        (-sum(r.margin) over ())::DECIMAL(38,2) as total_loss
    from customer_ranks as r
    inner join _customer_keys as k on r.ck = k.ck
    -- Contact details by row, as in retention/dormant_customers: only the listed rows' text is read.
    left join (select customer_id, rowid as crow from customers) as cr on k.customer_id = cr.customer_id
    left join customers as c on c.rowid = cr.crow
    where r.margin < 0
    order by r.margin, r.ck
)

select * from final
