-- stage_factors: the factor each lifecycle stage gives the momentum axis of the investment map.
-- grain: one row per lifecycle stage, in lifecycle order
-- params: $f_new DOUBLE, $f_growth DOUBLE, $f_mature DOUBLE, $f_decline DOUBLE, $f_dormant DOUBLE (NULL = default)
-- columns: stage VARCHAR, position INTEGER, default_factor DOUBLE, factor DOUBLE
-- The one place the defaults live: investment/customer_scores reads the factors from here, and the Investment page
-- offers the defaults from here. A growing customer is worth the most attention (1.0), a dormant one the least.
select stage, position, default_factor::DOUBLE as default_factor, coalesce(given, default_factor)::DOUBLE as factor
from (
    values
        ('new', 1, 0.7, $f_new::DOUBLE),
        ('growth', 2, 1.0, $f_growth),
        ('mature', 3, 0.5, $f_mature),
        ('decline', 4, 0.3, $f_decline),
        ('dormant', 5, 0.1, $f_dormant)
) as f (stage, position, default_factor, given)
order by position
