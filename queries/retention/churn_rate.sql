-- churn_rate: the average monthly churn of the period's complete months, overall or per group.
-- grain: one row overall, or one row per group value with $group_by (no rows when no complete month)
-- uses: retention/monthly_churn
-- params: $start DATE, $end DATE, $window_days INTEGER, $group_by VARCHAR ('segment' | 'region' | 'channel'),
--   $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all, ungrouped)
-- columns: group_value VARCHAR, churned BIGINT, active_start BIGINT, churn_rate DOUBLE
-- Churned customers over customers active at the months' starts, summed over the complete months of
-- retention/monthly_churn (a partial month would understate the rate): the period's churn on the Overview, the
-- Retention page's average and its leaks by group. NULL when no customer was active at a month's start.
select
    group_value,
    sum(churned)::BIGINT as churned,
    sum(active_start)::BIGINT as active_start,
    sum(churned) / nullif(sum(active_start), 0) as churn_rate
from monthly_churn
where not is_partial
group by group_value
order by group_value nulls last
