-- referral_summary: the period's referrals, and the shares of new customers and of revenue that came by referral.
-- grain: one row
-- uses: advocacy/referrals_monthly
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: referrals BIGINT, new_customers BIGINT, referred_new_customers BIGINT, referred_share DOUBLE,
--   revenue DECIMAL(38,2), referred_revenue DECIMAL(38,2), referred_revenue_share DOUBLE
-- The sums of advocacy/referrals_monthly; a share is NULL when nothing is there to share (no new customer, no
-- revenue).
select
    coalesce(sum(referrals), 0)::BIGINT as referrals,
    coalesce(sum(new_customers), 0)::BIGINT as new_customers,
    coalesce(sum(referred_new_customers), 0)::BIGINT as referred_new_customers,
    sum(referred_new_customers) / nullif(sum(new_customers), 0) as referred_share,
    sum(revenue) as revenue,
    sum(referred_revenue) as referred_revenue,
    sum(referred_revenue) / nullif(sum(revenue), 0) as referred_revenue_share
from referrals_monthly
