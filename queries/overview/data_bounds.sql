-- data_bounds: rows, date range and last load of every canonical table (data freshness).
-- grain: one row per canonical table
-- params: none
-- columns: table_name VARCHAR, row_count BIGINT, first_date DATE, last_date DATE, last_loaded_at TIMESTAMP
with table_dates as (
    select 'orders' as table_name, count(*) as row_count, min(order_date) as first_date, max(order_date) as last_date
    from orders
    union all
    select 'customers', count(*), min(created_at)::date, max(created_at)::date from customers
    union all
    select 'leads', count(*), min(created_at)::date, max(created_at)::date from leads
    union all
    select 'ad_spend', count(*), min(month), max(month) from ad_spend
    union all
    select 'nps', count(*), min(responded_at)::date, max(responded_at)::date from nps
    union all
    select 'referrals', count(*), min(referred_at)::date, max(referred_at)::date from referrals
    union all
    select 'interactions', count(*), min(occurred_at)::date, max(occurred_at)::date from interactions
    union all
    select 'tickets', count(*), min(opened_at)::date, max(opened_at)::date from tickets
),

last_loads as (
    select table_name, max(loaded_at) as last_loaded_at
    from _load_history
    where status != 'undone'
    group by table_name
),

final as (
    select
        t.table_name,
        t.row_count,
        t.first_date,
        t.last_date,
        l.last_loaded_at
    from table_dates as t
    left join last_loads as l on t.table_name = l.table_name
)

select * from final
