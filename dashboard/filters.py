"""The global filters (date range, region, segment, channel) and their defaults, shared by every page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from .queries import run_query


@dataclass(frozen=True)
class Filters:
    """The filters every query receives; empty lists mean "all"."""

    start: date
    end: date
    region: tuple[str, ...] = field(default_factory=tuple)
    segment: tuple[str, ...] = field(default_factory=tuple)
    channel: tuple[str, ...] = field(default_factory=tuple)

    def params(self) -> dict:
        """Keyword parameters for :func:`dashboard.queries.run_query`."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    def previous(self) -> Filters:
        """The period of the same length just before this one (for deltas)."""
        days = (self.end - self.start).days + 1
        return Filters(
            self.start - timedelta(days=days), self.start - timedelta(days=1), self.region, self.segment, self.channel
        )


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def last_full_months(latest: date, months: int = 12) -> tuple[date, date]:
    """The ``months`` full calendar months up to ``latest`` (its own month counts when ``latest`` ends it)."""
    end = latest if latest == month_end(latest) else date(latest.year, latest.month, 1) - timedelta(days=1)
    y, m = end.year, end.month - (months - 1)
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1), end


def data_range(bounds) -> tuple[date | None, date | None]:
    """The first and last day holding orders (or, without orders, leads), from an overview/data_bounds result."""
    bounds = bounds.set_index("table_name")
    for table in ("orders", "leads"):
        row = bounds.loc[table]
        if row["row_count"]:
            return row["first_date"].date(), row["last_date"].date()
    return None, None


def period_of(data: tuple[date | None, date | None]) -> tuple[date, date]:
    """The default date range for data spanning ``data`` (:func:`data_range`): its last 12 full months.

    Without data, the calendar's last 12 full months.
    """
    return last_full_months(data[1] or date.today())


def default_period(con) -> tuple[date, date]:
    """The default date range of the workspace on connection ``con`` (see :func:`period_of`)."""
    return period_of(data_range(run_query(con, "overview/data_bounds")))
