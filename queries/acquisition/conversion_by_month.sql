-- conversion_by_month: leads and conversions per lead-creation month and channel (lead cohorts).
-- grain: one row per (month, channel)
-- uses: acquisition/lead_outcomes
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: month DATE, channel VARCHAR, leads BIGINT, converted BIGINT, conversion_rate DOUBLE,
--   is_maturing BOOLEAN
-- Converted as in acquisition/lead_outcomes. A cohort is still maturing while its newest possible lead (the
-- month's last day) is younger than the median days to convert of all converted leads in the period.
with maturity as (
    select
        coalesce(median(days_to_convert) filter (where days_to_convert >= 0), 0) as median_days,
        max(created_at)::DATE as as_of_date
    from lead_outcomes
),

final as (
    select
        l.created_month as month,
        l.channel,
        count(*)::BIGINT as leads,
        count(*) filter (where l.is_converted)::BIGINT as converted,
        (count(*) filter (where l.is_converted) / count(*))::DOUBLE as conversion_rate,
        date_diff('day', last_day(l.created_month), m.as_of_date) < m.median_days as is_maturing
    from lead_outcomes as l
    cross join maturity as m
    group by l.created_month, l.channel, m.median_days, m.as_of_date
    order by l.created_month, l.channel
)

select * from final
