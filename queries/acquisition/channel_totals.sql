-- channel_totals: all channels together: leads, conversion, spend and return on ad spend.
-- grain: one row
-- uses: acquisition/channel_conversion
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: leads BIGINT, converted BIGINT, conversion_rate DOUBLE, spend DECIMAL(38,2), revenue_365d DECIMAL(38,2),
--   roas DOUBLE
-- The sums of acquisition/channel_conversion, so the headline always matches the channel table under it.
-- conversion_rate is NULL without leads; roas (365-day revenue over spend) NULL without spend.
select
    coalesce(sum(leads), 0)::BIGINT as leads,
    coalesce(sum(converted), 0)::BIGINT as converted,
    sum(converted) / nullif(sum(leads), 0) as conversion_rate,
    sum(spend) as spend,
    sum(revenue_365d) as revenue_365d,
    coalesce(sum(revenue_365d), 0) / nullif(sum(spend), 0) as roas
from channel_conversion
