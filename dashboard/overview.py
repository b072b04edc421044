"""The executive overview: each headline KPI for the period, the previous period of the same length, and a trend.

Inputs are query results only (via ``run``, a callable ``run(name, **params) -> DataFrame`` that may be cached);
the arithmetic here is the small amount needed to combine monthly rows into a period figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .filters import Filters


@dataclass
class Kpi:
    """One headline number: current and previous value, monthly trend, the page it links to, how to format it.

    ``needs`` names the table to upload when the KPI cannot be computed (value is None then).
    """

    key: str
    value: float | None
    previous: float | None
    trend: list[float] = field(default_factory=list)
    page: str = "overview"
    kind: str = "number"  # number | money | pct | score
    lower_is_better: bool = False
    needs: str = ""

    @property
    def delta(self) -> float | None:
        """Change against the previous period: a ratio for money and counts, points for shares and scores."""
        if self.value is None or self.previous is None or pd.isna(self.value) or pd.isna(self.previous):
            return None
        if self.kind in ("pct", "score"):
            return self.value - self.previous
        return (self.value - self.previous) / abs(self.previous) if self.previous else None


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _ratio(num: pd.Series, den: pd.Series) -> float | None:
    total = den.sum()
    return float(num.sum() / total) if total else None


def churn_rate(monthly: pd.DataFrame) -> float | None:
    """Average monthly churn of complete months: churned over customers active at the months' starts."""
    full = monthly[~monthly["is_partial"]] if "is_partial" in monthly else monthly
    return _ratio(full["churned"], full["active_start"])


def nps_score(monthly: pd.DataFrame) -> float | None:
    """NPS of all responses in the monthly rows (-100..100)."""
    n = monthly["responses"].sum()
    return float(100 * (monthly["promoters"].sum() - monthly["detractors"].sum()) / n) if n else None


def compute_kpis(run, filters: Filters, present: set[str], window_days: int = 90, run_previous=None) -> list[Kpi]:
    """Return the Overview's KPIs for ``filters`` and the period before it.

    ``present`` is the set of canonical tables holding data; a KPI whose table is missing is returned with
    ``needs`` set instead of a value. ``run_previous`` (default ``run``) runs the previous period's queries: no
    other page asks for that period, so the app computes its building blocks inside each query instead of keeping
    them (see ``ui.query_once``).
    """
    before_run = run_previous or run
    cur, prev = filters.params(), filters.previous().params()
    out: list[Kpi] = []
    has_orders = "orders" in present
    if has_orders:
        now, before = run("overview/period_kpis", **cur).iloc[0], before_run("overview/period_kpis", **prev).iloc[0]
        trend = run("overview/monthly_trend", **cur)
        out.append(
            Kpi(
                "kpi_revenue",
                _num(now.revenue),
                _num(before.revenue),
                trend["revenue"].astype(float).tolist(),
                "concentration",
                "money",
            )
        )
        margin_known = now.gross_margin is not None and not pd.isna(now.gross_margin)
        out.append(
            Kpi(
                "kpi_margin",
                _num(now.gross_margin),
                _num(before.gross_margin),
                trend["gross_margin"].astype(float).tolist() if margin_known else [],
                "concentration",
                "money",
                needs="" if margin_known else "margin",
            )
        )
        out.append(
            Kpi(
                "kpi_active",
                _num(now.active_customers),
                _num(before.active_customers),
                trend["active_customers"].astype(float).tolist(),
                "retention",
            )
        )
        out.append(
            Kpi(
                "kpi_new",
                _num(now.new_customers),
                _num(before.new_customers),
                trend["new_customers"].astype(float).tolist(),
                "retention",
            )
        )
        churn_now = run("retention/monthly_churn", **cur, window_days=window_days)
        churn_before = before_run("retention/monthly_churn", **prev, window_days=window_days)
        out.append(
            Kpi(
                "kpi_churn",
                churn_rate(churn_now),
                churn_rate(churn_before),
                churn_now["churn_rate"].fillna(0).tolist(),
                "retention",
                "pct",
                lower_is_better=True,
            )
        )
        p_now = run("concentration/pareto_summary", **cur, measure="revenue").iloc[0]
        p_before = before_run("concentration/pareto_summary", **prev, measure="revenue").iloc[0]
        quarters = run("concentration/top20_by_quarter", **cur, measure="revenue")
        out.append(
            Kpi(
                "kpi_top20",
                _num(p_now.top20_share),
                _num(p_before.top20_share),
                quarters["top20_share"].fillna(0).tolist(),
                "concentration",
                "pct",
            )
        )
    else:
        out += [
            Kpi(k, None, None, needs="orders")
            for k in ("kpi_revenue", "kpi_margin", "kpi_active", "kpi_new", "kpi_churn", "kpi_top20")
        ]
    if "nps" in present:
        n_now, n_before = run("advocacy/nps_monthly", **cur), before_run("advocacy/nps_monthly", **prev)
        out.append(Kpi("kpi_nps", nps_score(n_now), nps_score(n_before), n_now["nps"].tolist(), "advocacy", "score"))
    else:
        out.append(Kpi("kpi_nps", None, None, page="advocacy", needs="nps"))
    if "leads" in present:
        c_now = run("acquisition/conversion_by_month", **cur)
        c_before = before_run("acquisition/conversion_by_month", **prev)
        monthly = c_now.groupby("month")[["leads", "converted"]].sum()
        out.append(
            Kpi(
                "kpi_conversion",
                _ratio(c_now["converted"], c_now["leads"]),
                _ratio(c_before["converted"], c_before["leads"]),
                (monthly["converted"] / monthly["leads"]).tolist(),
                "acquisition",
                "pct",
            )
        )
    else:
        out.append(Kpi("kpi_conversion", None, None, page="acquisition", needs="leads"))
    return out


def quadrant_counts(run, filters: Filters, run_previous=None) -> list[Kpi]:
    """Customers per investment quadrant now and at the end of the previous period (one Kpi per quadrant).

    ``run_previous`` (default ``run``) runs the previous period's summary, as in :func:`compute_kpis`.
    """
    now = run("investment/quadrant_summary", **filters.params()).set_index("quadrant")
    before = (run_previous or run)("investment/quadrant_summary", **filters.previous().params()).set_index("quadrant")
    return [
        Kpi(f"quadrant_{q}", float(now.loc[q, "customers"]), float(before.loc[q, "customers"]), page="investment")
        for q in now.index
    ]
