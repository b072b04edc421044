-- cross_buy: each customer's cross-buy look: how much of what its peers buy it does not buy yet.
-- grain: one row per customer in scope whose group has a popular category (none without category data)
-- cache: shared
-- uses: investment/customer_spend, scope/filtered_customers, scope/as_of
-- params: $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: ck INTEGER, cross_buy DOUBLE
-- Look 2 of investment/customer_looks. A customer's group is its segment, or all customers in scope when it has
-- none; a category is popular in a group when at least 20% of the group bought it in the 24 months up to the
-- as-of date (the latest order on or before $end). The look: the adoption-weighted share of the group's popular
-- categories the customer has not bought in those months.
with settings as (
    select as_of_date, (as_of_date - interval 24 month)::DATE as from_24m from as_of
),

bought_24m as (
    -- A purchase in the window is an order on or before the as-of date, so every buyer the customer filters keep
    -- is in scope: no join with in_scope needed. A last purchase inside the window settles it without reading
    -- the list of days (always so when the as-of date is the data's last day). grp: the customer's segment, or ''.
    select b.ck, coalesce(b.segment, '') as grp, b.category
    from _customer_categories as b
    cross join settings as s
    where b.last_date > s.from_24m
        and (
            b.last_date <= s.as_of_date
            or len(list_filter(b.dates, lambda d: d > s.from_24m and d <= s.as_of_date)) > 0
        )
        and (
            ($region is null and $segment is null and $channel is null)
            or b.ck in (select ck from filtered_customers)
        )
),

group_sizes as (
    select segment as grp, count(*) as n from customer_spend where segment is not null group by segment
    union all
    select '', count(*) from customer_spend
),

adoption as (
    -- Share of each group buying each category: per segment, and over all customers (group ''). bought_24m has
    -- one row per customer and category, so counting rows counts buyers.
    select b.grp, b.category, b.buyers, b.buyers / g.n as adoption
    from (
        select grp, category, count(*) as buyers from bought_24m where grp <> '' group by all
        union all
        select '', category, count(*) from bought_24m group by all
    ) as b
    inner join group_sizes as g on b.grp = g.grp
),

popular as (
    select grp, category, buyers from adoption where adoption >= 0.2
),

popular_totals as (
    select grp, sum(buyers) as buyers from popular group by grp
),

popular_bought as (
    -- The filter is always true: it stops DuckDB grouping bought_24m by customer and category before the join
    -- (its rows are that already), which made this block take 1.0 s instead of 0.57 at a million customers.
    select b.ck, sum(p.buyers) filter (where b.ck is not null) as buyers
    from bought_24m as b
    inner join popular as p on b.grp = p.grp and b.category = p.category
    group by b.ck
),

final as (
    -- The popular categories not bought, weighted by adoption: 1 - (adoption of those bought) / (adoption of all
    -- of them). Adoptions in a group share its size as denominator, so the ratio is one of buyer counts: integer
    -- sums, exact in any order, so the look (and every ranking on it) is the same on every run.
    -- Customers whose group has no popular category have no cross-buy look.
    select i.ck, (t.buyers - coalesce(b.buyers, 0)) / t.buyers as cross_buy
    from customer_spend as i
    inner join popular_totals as t on t.grp = coalesce(i.segment, '')
    left join popular_bought as b on i.ck = b.ck
)

select ck, cross_buy::DOUBLE as cross_buy from final
