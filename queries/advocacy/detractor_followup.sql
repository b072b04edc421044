-- detractor_followup: customers whose latest answer in the last 90 days was 0-6, to call back.
-- grain: one row per customer
-- uses: scope/filtered_customers
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: customer_id VARCHAR, name VARCHAR, score INTEGER, responded_at TIMESTAMP, comment VARCHAR,
--   touchpoint VARCHAR, owner VARCHAR, phone VARCHAR, email VARCHAR, wechat VARCHAR
-- The 90 days run back from the latest answer on or before $end.
-- Latest answer: the last by time; answers given at the same time are ordered by response id, then score, so
-- the pick is the same on every run.
with answers as (
    select *
    from nps
    where customer_id is not null and responded_at::DATE <= $end
        and (
            ($region is null and $segment is null and $channel is null)
            or customer_id in (select customer_id from filtered_customers)
        )
),

as_of as (
    select max(responded_at)::DATE as as_of_date from answers
),

latest as (
    -- Only answers of the last 90 days: a customer whose latest answer is that recent has it among them, and the
    -- others are not listed anyway.
    select n.customer_id, arg_max(n.response_row, (n.responded_at, coalesce(n.response_id, ''), n.score)) as r
    from (
        select
            customer_id,
            responded_at,
            response_id,
            score,
            struct_pack(score, responded_at, comment, touchpoint) as response_row
        from answers
    ) as n
    cross join as_of as a
    where n.responded_at::DATE > a.as_of_date - 90
    group by n.customer_id
),

final as (
    select
        l.customer_id,
        c.name,
        l.r.score::INTEGER as score,
        l.r.responded_at as responded_at,
        l.r.comment as comment,
        l.r.touchpoint as touchpoint,
        c.owner,
        c.phone,
        c.email,
        c.wechat
    from latest as l
    cross join as_of as a
    -- Contact details by row, as in retention/dormant_customers: only the listed rows' text is read.
    left join (select customer_id, rowid as crow from customers) as cr on l.customer_id = cr.customer_id
    left join customers as c on c.rowid = cr.crow
    where l.r.score <= 6 and l.r.responded_at::DATE > a.as_of_date - 90
    order by l.r.score, l.r.responded_at desc, l.customer_id
)

select * from final
