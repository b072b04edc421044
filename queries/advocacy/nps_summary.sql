-- nps_summary: the period's Net Promoter Score and its promoter and detractor shares.
-- grain: one row
-- uses: advocacy/nps_monthly
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: responses BIGINT, promoters BIGINT, detractors BIGINT, promoter_share DOUBLE, detractor_share DOUBLE,
--   nps DOUBLE
-- Every response of the period counts once (not an average of monthly scores): NPS = 100 x (promoter share -
-- detractor share). Shares and NPS are NULL without responses.
select
    coalesce(sum(responses), 0)::BIGINT as responses,
    coalesce(sum(promoters), 0)::BIGINT as promoters,
    coalesce(sum(detractors), 0)::BIGINT as detractors,
    sum(promoters) / nullif(sum(responses), 0) as promoter_share,
    sum(detractors) / nullif(sum(responses), 0) as detractor_share,
    100 * (sum(promoters) - sum(detractors)) / nullif(sum(responses), 0) as nps
from nps_monthly
