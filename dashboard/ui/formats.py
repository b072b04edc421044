"""How result columns are shown: labels in the user's language and a number format per kind of column."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import config
from ..i18n import MISSING, t

# The result columns shown as money and as shares, on whichever page they appear.
_MONEY = frozenset(
    "revenue_12m revenue_period wallet untapped_wallet revenue amount value margin gross_margin spend "
    "revenue_365d margin_365d cpl cpa lifetime_revenue lifetime_margin deal_value total_value aov ".split()
)
_SHARES = frozenset(
    "share_of_wallet cross_buy untapped_rank engagement_rank conversion_rate ci_low ci_high retention "
    "revenue_retention churn_rate revenue_share top20_share share cumulative_share roi rate "
    "customer_share value_share share_of_channel ".split()
)


def column_config(columns: list[str], df: pd.DataFrame | None = None) -> dict:
    """Labels in the current language and number formats (money, shares, scores) for st.dataframe columns.

    With ``df``, whole-number columns are shown without decimals.
    """
    out = {}
    for c in columns:
        label = t("col_" + c)
        if df is not None and c in df and pd.api.types.is_integer_dtype(df[c]) and c not in _MONEY:
            out[c] = st.column_config.NumberColumn(label, format="%d")
        elif c in _MONEY:
            out[c] = st.column_config.NumberColumn(label, format="yen" if config.CURRENCY == "¥" else "localized")
        elif c in _SHARES:
            out[c] = st.column_config.NumberColumn(label, format="percent")
        elif c.endswith(("_date", "_month")) or c in ("month", "quarter"):
            out[c] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif c.endswith("_at"):
            out[c] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
        elif c in ("score", "momentum", "value_potential", "nps", "stage_factor", "roas"):
            out[c] = st.column_config.NumberColumn(label, format="%.1f")
        else:
            out[c] = st.column_config.Column(label)
    return out


def has(value) -> bool:
    """True when a value from a query result is present (not NULL/NaN/NA and not empty text)."""
    try:
        if pd.isna(value):
            return False
    except (TypeError, ValueError):
        pass
    return value != ""


def show(value) -> str:
    """A query value as text, '–' when missing."""
    return str(value) if has(value) else MISSING
