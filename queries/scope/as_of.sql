-- as_of: the as-of date of a period: the last order day on or before $end of the customers in scope.
-- grain: one row (NULLs when there is no such order)
-- uses: scope/filtered_customers, scope/customers_in_scope
-- params: $end DATE (NULL = no end), $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: as_of_date DATE, first_date DATE
-- Read off each customer's first and last order (marts/customer_keys), which settles it for every customer who
-- did not order both before and after $end: when the period ends on or after the data's last order (the default)
-- no order day is read. For the others, their days up to $end. Not from scope/days_in_scope: a query reading
-- those days for its main work would then have DuckDB store them in full to read them twice.
with spans as (
    select
        max(last_order_date) filter (where $end is null or last_order_date <= $end) as last_known,
        min(first_order_date) filter (where $end is null or first_order_date <= $end) as first_date,
        bool_or(first_order_date <= $end and last_order_date > $end) as straddles
    from customers_in_scope
),

straddling as (
    -- Such a customer's last day up to $end is the one whose next order comes after it: found without a join.
    select max(d.order_date) as last_day
    from _customer_days as d
    where d.order_date <= $end and d.next_date > $end
        and (select straddles from spans)
        and (
            ($region is null and $segment is null and $channel is null)
            or d.filter_group in (select filter_group from filtered_customers)
        )
),

final as (
    -- greatest skips a NULL: no straddling customer, or none known.
    select greatest(s.last_known, (select last_day from straddling)) as as_of_date, s.first_date
    from spans as s
)

select * from final
