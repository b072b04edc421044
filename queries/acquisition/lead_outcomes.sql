-- lead_outcomes: every lead created in the period with whether it converted, how fast, and what it brought.
-- grain: one row per lead
-- cache: shared
-- params: $start DATE, $end DATE, $region VARCHAR[], $segment VARCHAR[], $channel VARCHAR[] (NULL = all)
-- columns: lead_id VARCHAR, channel VARCHAR, campaign VARCHAR, stage VARCHAR, created_at TIMESTAMP,
--   created_month DATE, customer_id VARCHAR, is_converted BOOLEAN, days_to_convert BIGINT,
--   revenue_365d DECIMAL(38,2), margin_365d DECIMAL(38,2)
-- The outcome of each lead (converted, days to convert, 365-day revenue and margin) is defined and worked out
-- on load in marts/lead_facts. Region and segment filters keep leads linked to a customer in scope; the channel
-- filter applies to the lead's channel. Computed once per period and filters (cache: shared) for the acquisition
-- queries built on it.
with scoped_customers as (
    -- Empty without a region or segment filter, so the test below builds no million-row list for nothing.
    select ck
    from _customer_keys
    where not ($region is null and $segment is null)
        and listed
        and ($region is null or list_contains($region, region))
        and ($segment is null or list_contains($segment, segment))
),

final as (
    select
        lead_id,
        channel,
        campaign,
        stage,
        created_at,
        created_month,
        customer_id,
        is_converted,
        days_to_convert,
        revenue_365d,
        margin_365d
    from _lead_facts
    where created_date between $start and $end
        and ($channel is null or list_contains($channel, channel))
        and (($region is null and $segment is null) or ck in (select ck from scoped_customers))
)

select * from final
