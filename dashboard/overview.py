"""The executive overview's KPIs: each headline figure for the period, the period before it, and a monthly trend.

Two models of the result store (``dashboard.models``): every figure is read from a named query; the work here is
picking them and pairing each period with the one before.
"""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(frozen=True)
class _Spec:
    # A headline KPI: the table it needs, the page it links to, how it is shown, the query (first row, ``column``)
    # giving the period's figure, and the query its trend is read from (``trend_of`` turns that result into a
    # series). ``missing`` names what to upload when the table is there but the figure is not (no margins).
    key: str
    needs: str
    page: str
    kind: str
    query: str
    column: str
    trend: str
    trend_of: Callable[[pd.DataFrame], pd.Series]
    extra: tuple = ()
    lower_is_better: bool = False
    missing: str = ""


def _column(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: df[name]


def _monthly_rate(df: pd.DataFrame) -> pd.Series:
    # conversion_by_month has a row per month and channel: the month's rate is over all its channels.
    monthly = df.groupby("month")[["leads", "converted"]].sum()
    return monthly["converted"] / monthly["leads"]


WINDOW_DAYS = 90
_PERIOD, _TREND = "overview/period_kpis", "overview/monthly_trend"
KPIS = (
    _Spec("kpi_revenue", "orders", "concentration", "money", _PERIOD, "revenue", _TREND, _column("revenue")),
    _Spec("kpi_margin", "orders", "concentration", "money", _PERIOD, "gross_margin", _TREND, _column("gross_margin"),
          missing="margin"),
    _Spec("kpi_active", "orders", "retention", "number", _PERIOD, "active_customers", _TREND,
          _column("active_customers")),
    _Spec("kpi_new", "orders", "retention", "number", _PERIOD, "new_customers", _TREND, _column("new_customers")),
    _Spec("kpi_churn", "orders", "retention", "pct", "retention/churn_rate", "churn_rate", "retention/monthly_churn",
          _column("churn_rate"), (("window_days", WINDOW_DAYS),), lower_is_better=True),
    _Spec("kpi_top20", "orders", "concentration", "pct", "concentration/pareto_summary", "top20_share",
          "concentration/top20_by_quarter", _column("top20_share"), (("measure", "revenue"),)),
    _Spec("kpi_nps", "nps", "advocacy", "score", "advocacy/nps_summary", "nps", "advocacy/nps_monthly",
          _column("nps")),
    _Spec("kpi_conversion", "leads", "acquisition", "pct", "acquisition/channel_totals", "conversion_rate",
          "acquisition/conversion_by_month", _monthly_rate),
)  # fmt: skip
KPI_USES = ("overview/data_bounds", *dict.fromkeys(name for k in KPIS for name in (k.query, k.trend)))


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _filters(params: dict) -> Filters:
    return Filters(
        params["start"], params["end"], *(tuple(params.get(k) or ()) for k in ("region", "segment", "channel"))
    )


def kpis(get, **params) -> pd.DataFrame:
    """The Overview's KPIs for the period and filters in ``params`` and the period before it (model overview/kpis).

    ``get(name, **params)`` reads a result (``inline=True``: the previous period's, which no other page asks
    for). Returns one row per KPI with the fields of :class:`Kpi`; a KPI whose table is empty has no value and
    names the table to upload in ``needs``.
    """
    f = _filters(params)
    present = set(get("overview/data_bounds").query("row_count > 0")["table_name"])
    read: dict[tuple, pd.DataFrame] = {}

    def result(name: str, filters: Filters, extra: tuple, inline: bool = False) -> pd.DataFrame:
        # Four KPIs read one period_kpis row: ask for each result once.
        if (name, filters, extra) not in read:
            read[name, filters, extra] = get(name, inline=inline, **filters.params(), **dict(extra))
        return read[name, filters, extra]

    out = []
    for k in KPIS:
        if k.needs not in present:
            out.append(Kpi(k.key, None, None, page=k.page if k.needs != "orders" else "overview", needs=k.needs))
            continue
        now, before = result(k.query, f, k.extra), result(k.query, f.previous(), k.extra, inline=True)
        value = _num(now[k.column].iloc[0]) if len(now) else None
        previous = _num(before[k.column].iloc[0]) if len(before) else None
        trend = k.trend_of(result(k.trend, f, k.extra)).astype(float)
        # A share with nothing to share that month (no complete month, no customer) is drawn at 0.
        trend = (trend.fillna(0) if k.kind == "pct" else trend).tolist()
        gone = value is None and k.missing
        out.append(Kpi(k.key, value, previous, [] if gone else trend, k.page, k.kind, k.lower_is_better,
                       k.missing if gone else ""))  # fmt: skip
    return frame(out)


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
