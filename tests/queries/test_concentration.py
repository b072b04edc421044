"""concentration/pareto_summary and top20_by_quarter against hand computation and an independent Gini."""

from datetime import date
from itertools import product

import pandas as pd
import pytest

from dashboard.queries import run_query
from tests.queries.fixtures import JAN1, JUN30, orders_of, small_orders

YEAR = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


def gini_by_mean_difference(values):
    """Gini as the mean absolute difference over twice the mean: independent of the rank formula in SQL."""
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a, b in product(values, values)) / (2 * n * n * mean)


def summary(ws, **params):
    return run_query(ws.cursor(), "concentration/pareto_summary", **{**YEAR, "measure": "revenue", **params}).iloc[0]


def test_small_workspace():
    ws = small_orders()
    row = summary(ws, start=JAN1, end=JUN30)
    # Values: C2 200, C1 130, C3 70, C4 10; total 410. Top ceil(0.8) = 1 customer: 200 / 410.
    assert (row.customers, float(row.total_value), row.top20_customers) == (4, 410.0, 1)
    assert row.top20_share == pytest.approx(200 / 410)
    assert row.customers_for_80pct == 2  # 200 + 130 = 330 >= 328
    assert row.gini == pytest.approx(gini_by_mean_difference([10, 70, 130, 200]))
    assert row.gini == pytest.approx(0.384146, abs=1e-6)


def test_ties():
    row = summary(orders_of([50, 50, 50, 50]))
    assert (row.top20_share, row.customers_for_80pct, row.gini) == (0.25, 4, 0)


def test_single_customer():
    row = summary(orders_of([99.99]))
    assert (row.customers, row.top20_share, row.customers_for_80pct, row.gini) == (1, 1.0, 1, 0)


def test_zero_values():
    row = summary(orders_of([0, 0, 10]))
    assert (row.top20_share, row.customers_for_80pct) == (1.0, 1)
    assert row.gini == pytest.approx(gini_by_mean_difference([0, 0, 10]))


def test_negative_total_from_refunds_gives_no_shares():
    row = summary(orders_of([-10, 5]))
    assert float(row.total_value) == -5
    assert pd.isna(row.top20_share) and pd.isna(row.gini) and pd.isna(row.customers_for_80pct)


def test_margin_measure():
    row = summary(orders_of([10, 30]), measure="margin")
    assert float(row.total_value) == 20.0 and row.top20_share == 0.75


def test_top20_by_quarter():
    ws = small_orders()
    df = run_query(ws.cursor(), "concentration/top20_by_quarter", start=JAN1, end=JUN30, measure="revenue")
    # Q1: C2 200, C1 150, C3 70 -> top ceil(0.6) = 1: 200 / 420. Q2: C4 10, C1 -20 -> total -10: no share.
    assert [q.month for q in df.quarter] == [1, 4]
    assert df.top20_share.iloc[0] == pytest.approx(200 / 420)
    assert df.top20_share.isna().iloc[1]
