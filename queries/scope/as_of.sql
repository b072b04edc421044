-- as_of: the as-of date of a period: the last order day on or before $end of the customers in scope.
-- grain: one row (NULLs when there is no such order)
-- uses: scope/days_in_scope
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: as_of_date DATE, first_date DATE
-- A block of its own, so a query reading the days for its main work reads them once: DuckDB stores a CTE read
-- twice in full before using it, and at ten million days that costs more than reading them again for two numbers.
with final as (
    select max(order_date) as as_of_date, min(order_date) as first_date from days_in_scope
)

select * from final
