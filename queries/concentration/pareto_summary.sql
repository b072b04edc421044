-- pareto_summary: how concentrated customer value is: top-20% share, customers for 80% of value, Gini.
-- grain: one row
-- uses: scope/days_in_scope
-- params: $start DATE, $end DATE, $measure VARCHAR ('revenue' | 'margin'), $region VARCHAR[], $segment VARCHAR[],
--   $channel VARCHAR[] (NULL = all)
-- columns: customers BIGINT, total_value DECIMAL(38,2), top20_customers BIGINT, top20_share DOUBLE,
--   customers_for_80pct BIGINT, share_for_80pct DOUBLE, gini DOUBLE
-- Customers are ranked by their value in the period (net of refunds). Top 20% = the ceil(20%) highest;
-- Gini = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n with x sorted ascending, i = n + 1 - the descending rank
-- (tied values are equal, so their order inside the tie does not change the sum). Shares are NULL when the total
-- is not positive.
with period_days as (
    select ck, revenue, margin
    from days_in_scope
    where order_date >= $start
),

customer_values as (
    -- 18 digits hold any one customer's value (marts/customer_days), and the ranking below sorts 64-bit numbers
    -- twice as fast as the 128-bit ones a sum returns.
    select
        ck,
        (case when coalesce($measure, 'revenue') = 'margin' then sum(margin) else sum(revenue) end)::DECIMAL(18,2)
            as value
    from period_days
    group by ck
),

ranked as (
    select
        value,
        row_number() over (order by value desc, ck) as rank_desc,
        sum(value) over (order by value desc, ck rows unbounded preceding) as cumulative_value
    from customer_values
    where value is not null
),

totals as (
    select count(*) as n, sum(value) as total, ceil(0.2 * count(*))::BIGINT as top_n from ranked
),

final as (
    select
        t.n::BIGINT as customers,
        t.total::DECIMAL(38,2) as total_value,
        t.top_n as top20_customers,
        case when t.total > 0 then sum(r.value) filter (where r.rank_desc <= t.top_n) / t.total end::DOUBLE
            as top20_share,
        case when t.total > 0 then min(r.rank_desc) filter (where r.cumulative_value >= 0.8 * t.total) end::BIGINT
            as customers_for_80pct,
        case when t.total > 0
            then 2 * sum((t.n + 1 - r.rank_desc) * r.value) / (t.n * t.total) - (t.n + 1) / t.n
        end::DOUBLE
            as gini
    from totals as t
    left join ranked as r on true
    group by t.n, t.total, t.top_n
)

select
    customers, total_value, top20_customers, top20_share, customers_for_80pct,
    (customers_for_80pct / customers)::DOUBLE as share_for_80pct,
    gini
from final
