"""The churn projection (DESIGN.md section 5): customers and revenue lost in 12 months at a monthly churn rate."""

from __future__ import annotations

from dataclasses import dataclass


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
