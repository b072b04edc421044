-- churn_summary: the Retention page's headline: average monthly churn, customers churned and reactivated, and the
--   base at the start of the last month.
-- grain: one row (no rows when the period has no month)
-- uses: retention/monthly_churn, retention/churn_rate
-- params: $start DATE, $end DATE, $window_days INTEGER, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[]
--   (NULL = all), $group_by VARCHAR (always NULL here: the summary is of the whole base)
-- columns: churn_rate DOUBLE, churned BIGINT, reactivated BIGINT, active_start_latest BIGINT
-- churn_rate is retention/churn_rate's (complete months only); churned and reactivated count every month of the
-- period, the last one too even when partial; active_start_latest is the last month's active_start.
select
    (select churn_rate from churn_rate) as churn_rate,
    sum(churned)::BIGINT as churned,
    sum(reactivated)::BIGINT as reactivated,
    arg_max(active_start, month)::BIGINT as active_start_latest
from monthly_churn
having count(*) > 0
