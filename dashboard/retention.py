"""The churn projection (DESIGN.md section 5): customers and revenue lost in 12 months at a monthly churn rate."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Projection:
    """Customers lost in 12 months from a base of ``base`` at monthly churn ``rate``, and the revenue they carry."""

    base: int
    rate: float
    revenue_per_customer: float

    @property
    def lost(self) -> float:
        """N (1 - (1 - c)^12)."""
        return self.base * (1 - (1 - self.rate) ** 12)

    @property
    def revenue_lost(self) -> float:
        """Lost customers times the average 12-month revenue of an active customer (annual revenue at risk)."""
        return self.lost * self.revenue_per_customer

    def saved_by(self, lower_rate: float) -> tuple[float, float]:
        """Customers and revenue kept if churn fell to ``lower_rate``."""
        other = Projection(self.base, lower_rate, self.revenue_per_customer)
        return self.lost - other.lost, self.revenue_lost - other.revenue_lost


def projection(get, target_rate=None, **params) -> pd.DataFrame:
    """The period's churn projected over 12 months, and what churn at ``target_rate`` would save (model).

    ``get`` reads results (retention/active_base: the base as of the period's last order day and what an active
    customer brings in a year; retention/churn_rate: the period's average monthly churn, 0 when unknown). One row:
    as_of, active_customers, revenue_per_active, churn_rate, lost, revenue_lost, target_rate, saved_customers,
    saved_revenue (the target defaults to the churn itself: nothing saved).
    """
    base = get("retention/active_base", **params).iloc[0]
    churn = get("retention/churn_rate", **params)["churn_rate"]
    rate = float(churn.iloc[0]) if len(churn) and pd.notna(churn.iloc[0]) else 0.0
    p = Projection(int(base["active_customers"]), rate, float(base["revenue_per_active"] or 0))
    target = rate if target_rate is None else float(target_rate)
    saved, saved_revenue = p.saved_by(target)
    row = {"as_of": base["as_of"], "active_customers": p.base, "revenue_per_active": p.revenue_per_customer}
    row |= {"churn_rate": rate, "lost": p.lost, "revenue_lost": p.revenue_lost, "target_rate": target}
    return pd.DataFrame([row | {"saved_customers": saved, "saved_revenue": saved_revenue}])
