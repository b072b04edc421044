"""Plain-language explanations of a customer's four looks on the investment map (numbers from the query row)."""

from __future__ import annotations

import pandas as pd

from .i18n import fmt_money, fmt_number, fmt_pct, t

# The looks each axis of the map averages, with the weight parameter of each look (investment/customer_scores).
AXES = {"value_potential": ("wallet", "cross"), "momentum": ("engagement", "stage")}
WEIGHTS = {"wallet": "w_wallet", "cross": "w_cross", "engagement": "w_engagement", "stage": "w_stage"}


def looks_used(summary: pd.DataFrame) -> list[str]:
    """The looks that have data, from a quadrant_summary result (cross-buy drops out without categories)."""
    looks = ["wallet", "cross", "engagement", "stage"]
    if summary.empty or summary["with_cross_buy"].sum() == 0:
        looks.remove("cross")
    return looks


def weightless_axes(weights: dict, looks: list[str]) -> list[str]:
    """The axes (``value_potential``, ``momentum``) none of whose ``looks`` in use weighs more than zero.

    Such an axis has nothing to average: the queries return it, the score and the quadrant as NULL. ``weights``
    maps the weight parameters (``w_wallet`` ...) to their values; ``looks`` are the looks with data
    (:func:`looks_used`).
    """
    return [axis for axis, own in AXES.items() if not any(weights[WEIGHTS[lk]] > 0 for lk in own if lk in looks)]


def weightless_message(axis: str) -> str:
    """The notice asking for a weight on ``axis``, naming the looks that could carry it."""
    first, second = (t("look_" + lk) for lk in AXES[axis])
    return t("weights_zero", axis=t(axis), first=first, second=second)


def explain(row: pd.Series) -> list[str]:
    """One sentence per look for one customer_quadrants row, then how they add up to the quadrant."""
    wallet_key = "explain_wallet_given" if row["wallet_source"] == "given" else "explain_wallet_estimated"
    lines = [
        t(
            wallet_key,
            wallet=fmt_money(row["wallet"], compact=False, decimals=0),
            spend=fmt_money(row["revenue_12m"], compact=False, decimals=0),
            share=fmt_pct(row["share_of_wallet"]),
            untapped=fmt_money(row["untapped_wallet"], compact=False, decimals=0),
            rank=fmt_pct(row["untapped_rank"], 0),
        ),
        t("explain_cross_missing")
        if pd.isna(row["cross_buy"])
        else t("explain_cross", value=fmt_pct(row["cross_buy"], 0)),
        t("explain_engagement", events=fmt_number(row["engagement"]), rank=fmt_pct(row["engagement_rank"], 0)),
        t("explain_stage", stage=t("stage_" + row["stage"]), factor=fmt_number(row["stage_factor"], 1)),
        t(
            "explain_result",
            y=fmt_number(row["value_potential"], 0),
            x=fmt_number(row["momentum"], 0),
            score=fmt_number(row["score"], 0),
            quadrant=t("quadrant_" + row["quadrant"]),
            action=t("action_" + row["quadrant"]),
        ),
    ]
    return lines
