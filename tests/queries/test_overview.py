"""overview/period_kpis and overview/monthly_trend on the small hand-made workspace."""

from datetime import date

import pytest

from dashboard.queries import run_query
from tests.queries.fixtures import JAN1, JUN30, small_orders


@pytest.fixture
def con():
    ws = small_orders()
    yield ws.cursor()
    ws.close()


def test_period_kpis(con):
    row = run_query(con, "overview/period_kpis", start=JAN1, end=JUN30).iloc[0]
    # 100 + 50 - 20 + 200 + 70 + 10; margin only known for C1's first order.
    assert float(row.revenue) == 410.00 and float(row.gross_margin) == 40.00
    assert row.orders == 6 and row.active_customers == 4
    assert row.new_customers == 3  # C1, C2, C4 (C3 first bought in Dec 2023)
    assert row.as_of.date() == date(2024, 6, 30)


def test_period_kpis_with_a_region_filter(con):
    row = run_query(con, "overview/period_kpis", start=JAN1, end=JUN30, region=["East"]).iloc[0]
    assert float(row.revenue) == 200.00  # C1 130 + C3 70; C4 has no region and drops out
    assert (row.active_customers, row.new_customers) == (2, 1)


def test_period_kpis_of_an_empty_period(con):
    row = run_query(con, "overview/period_kpis", start=date(2030, 1, 1), end=date(2030, 12, 31)).iloc[0]
    assert float(row.revenue) == 0 and row.active_customers == 0


def test_monthly_trend(con):
    df = run_query(con, "overview/monthly_trend", start=JAN1, end=JUN30)
    got = [
        (m.strftime("%Y-%m"), float(r), a, n)
        for m, r, a, n in zip(df.month, df.revenue, df.active_customers, df.new_customers, strict=True)
    ]
    assert got == [
        ("2024-01", 100.0, 1, 1),
        ("2024-02", 270.0, 2, 1),
        ("2024-03", 50.0, 1, 0),
        ("2024-06", -10.0, 2, 1),
    ]
