"""The executive overview's KPIs: each headline figure for the period, the period before it, and a monthly trend.

Two models of the result store (``dashboard.models``): every figure is read from a named query; the work here is
picking them and pairing each period with the one before.
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


KPI_USES = (
    "overview/data_bounds",
    "overview/period_kpis",
    "overview/monthly_trend",
    "retention/churn_rate",
    "retention/monthly_churn",
    "concentration/pareto_summary",
    "concentration/top20_by_quarter",
    "advocacy/nps_summary",
    "advocacy/nps_monthly",
    "acquisition/channel_totals",
    "acquisition/conversion_by_month",
)


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _first(df: pd.DataFrame, column: str) -> float | None:
    return _num(df[column].iloc[0]) if len(df) else None


def _filters(params: dict) -> Filters:
    return Filters(*(params[k] for k in ("start", "end")), *(tuple(params.get(k) or ()) for k in FILTER_LISTS))


FILTER_LISTS = ("region", "segment", "channel")


def kpis(get, **params) -> pd.DataFrame:
    """The Overview's KPIs for the period and filters in ``params`` and the period before it (model overview/kpis).

    ``get(name, **params)`` reads a result (``inline=True``: the previous period's, which no other page asks
    for). Returns one row per KPI with the fields of :class:`Kpi`; a KPI whose table is empty has no value and
    names the table to upload in ``needs``.
    """
    f = _filters(params)
    cur, prev = f.params(), f.previous().params()
    present = set(get("overview/data_bounds").query("row_count > 0")["table_name"])

    def both(name: str, column: str, **extra) -> tuple[float | None, float | None]:
        now, before = get(name, **cur, **extra), get(name, inline=True, **prev, **extra)
        return _first(now, column), _first(before, column)

    out: list[Kpi] = []
    if "orders" in present:
        now, before = (
            get("overview/period_kpis", **cur).iloc[0],
            get("overview/period_kpis", inline=True, **prev).iloc[0],
        )
        trend = get("overview/monthly_trend", **cur)
        margin_known = pd.notna(now.gross_margin)
        out += [
            Kpi("kpi_revenue", _num(now.revenue), _num(before.revenue), _series(trend["revenue"]), "concentration",
                "money"),
            Kpi("kpi_margin", _num(now.gross_margin), _num(before.gross_margin),
                _series(trend["gross_margin"]) if margin_known else [], "concentration", "money",
                needs="" if margin_known else "margin"),
            Kpi("kpi_active", _num(now.active_customers), _num(before.active_customers),
                _series(trend["active_customers"]), "retention"),
            Kpi("kpi_new", _num(now.new_customers), _num(before.new_customers), _series(trend["new_customers"]),
                "retention"),
        ]  # fmt: skip
        churn = get("retention/monthly_churn", **cur, window_days=WINDOW_DAYS)
        out.append(
            Kpi("kpi_churn", *both("retention/churn_rate", "churn_rate", window_days=WINDOW_DAYS),
                _series(churn["churn_rate"].fillna(0)), "retention", "pct", lower_is_better=True)
        )  # fmt: skip
        quarters = get("concentration/top20_by_quarter", **cur, measure="revenue")
        out.append(
            Kpi("kpi_top20", *both("concentration/pareto_summary", "top20_share", measure="revenue"),
                _series(quarters["top20_share"].fillna(0)), "concentration", "pct")
        )  # fmt: skip
    else:
        out += [Kpi(k, None, None, needs="orders") for k in ORDER_KPIS]
    if "nps" in present:
        monthly = get("advocacy/nps_monthly", **cur)
        out.append(Kpi("kpi_nps", *both("advocacy/nps_summary", "nps"), _series(monthly["nps"]), "advocacy", "score"))
    else:
        out.append(Kpi("kpi_nps", None, None, page="advocacy", needs="nps"))
    if "leads" in present:
        monthly = get("acquisition/conversion_by_month", **cur).groupby("month")[["leads", "converted"]].sum()
        rate = monthly["converted"] / monthly["leads"]
        out.append(
            Kpi("kpi_conversion", *both("acquisition/channel_totals", "conversion_rate"), _series(rate),
                "acquisition", "pct")
        )  # fmt: skip
    else:
        out.append(Kpi("kpi_conversion", None, None, page="acquisition", needs="leads"))
    return frame(out)


WINDOW_DAYS = 90
ORDER_KPIS = ("kpi_revenue", "kpi_margin", "kpi_active", "kpi_new", "kpi_churn", "kpi_top20")


def _series(values: pd.Series) -> list[float]:
    return values.astype(float).tolist()


def frame(items: list[Kpi]) -> pd.DataFrame:
    """KPIs as a result table: one row per KPI, a column per field (``trend`` a list of numbers)."""
    rows = [{**vars(k), "trend": [float(x) for x in k.trend]} for k in items]
    return pd.DataFrame(rows, columns=list(Kpi.__dataclass_fields__)).astype({"value": float, "previous": float})


def from_frame(df: pd.DataFrame) -> list[Kpi]:
    """The KPIs of a result table made by :func:`frame` (missing values as None)."""
    return [
        Kpi(**{**row, "value": _num(row["value"]), "previous": _num(row["previous"]), "trend": list(row["trend"])})
        for row in df.to_dict("records")
    ]


def quadrant_counts(get, **params) -> pd.DataFrame:
    """Customers per investment quadrant now and at the end of the previous period (model overview/quadrant_counts).

    ``get`` as in :func:`kpis`. One row per quadrant, as KPI fields (:func:`frame`).
    """
    f = _filters(params)
    now = get("investment/quadrant_summary", **f.params()).set_index("quadrant")
    before = get("investment/quadrant_summary", inline=True, **f.previous().params()).set_index("quadrant")
    return frame(
        [
            Kpi(f"quadrant_{q}", float(now.loc[q, "customers"]), float(before.loc[q, "customers"]), page="investment")
            for q in now.index
        ]
    )
