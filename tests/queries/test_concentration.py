"""concentration/pareto_summary and top20_by_quarter against hand computation and an independent Gini."""

import math
from datetime import date
from itertools import product

import pandas as pd
import pytest

from dashboard.queries import run_query
from tests.conftest import insert
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
    assert row.share_for_80pct == 0.5  # 2 of 4 customers
    assert row.gini == pytest.approx(gini_by_mean_difference([10, 70, 130, 200]))
    assert row.gini == pytest.approx(0.384146, abs=1e-6)


def test_ties():
    row = summary(orders_of([50, 50, 50, 50]))
    assert (row.top20_share, row.customers_for_80pct, row.share_for_80pct, row.gini) == (0.25, 4, 1.0, 0)


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
    assert pd.isna(row.share_for_80pct)


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


@pytest.mark.parametrize("n", [*range(1, 41), 55, 100])
def test_top20_by_quarter_takes_the_ceil_20pct_largest_with_ties(n):
    # Values with many ties (1..11 repeating): the top ceil(20%) of n customers, summed by hand. Every n up to 40,
    # so the query's percentile floor below the cut is checked at each small size.
    values = [(i * 7) % 11 + 1 for i in range(n)]
    top = sorted(values, reverse=True)[: math.ceil(0.2 * n)]
    df = run_query(orders_of(values).cursor(), "concentration/top20_by_quarter", start=JAN1, end=JUN30)
    assert df.customers.tolist() == [n]
    assert df.top20_share.iloc[0] == pytest.approx(sum(top) / sum(values))


def test_customer_values_and_abc_tiers():
    ws = small_orders()
    df = run_query(ws.cursor(), "concentration/customer_values", start=JAN1, end=JUN30).set_index("customer_id")
    # Cumulative value before each customer: C2 0, C1 200, C3 330, C4 400 of 410 (80% = 328, 95% = 389.5).
    assert df.tier.to_dict() == {"C2": "A", "C1": "A", "C3": "B", "C4": "C"}
    assert df.cumulative_share.to_dict() == pytest.approx(
        {"C2": 200 / 410, "C1": 330 / 410, "C3": 400 / 410, "C4": 1.0}
    )
    tiers = run_query(ws.cursor(), "concentration/abc_tiers", start=JAN1, end=JUN30).set_index("tier")
    assert tiers.customers.to_dict() == {"A": 2, "B": 1, "C": 1}
    assert float(tiers.value["A"]) == 330 and tiers.value_share["A"] == pytest.approx(330 / 410)
    assert tiers.orders["A"] == 4 and tiers.aov["A"] == pytest.approx(330 / 4)
    summary = summary_row = run_query(ws.cursor(), "concentration/pareto_summary", start=JAN1, end=JUN30).iloc[0]
    assert summary_row.customers_for_80pct == tiers.customers["A"] == summary.customers_for_80pct
    # One customer asked for by id keeps the rank and tier it has among all of them.
    one = run_query(ws.cursor(), "concentration/customer_values", start=JAN1, end=JUN30, customer_id="C3")
    assert one.customer_id.tolist() == ["C3"] and one.rank_desc.tolist() == [3] and one.tier.tolist() == ["B"]
    assert one.customers.tolist() == [4]


def test_pareto_curve_points_lie_on_the_curve():
    ws = small_orders()
    df = run_query(ws.cursor(), "concentration/pareto_curve", start=JAN1, end=JUN30)
    assert df.cumulative_share.tolist() == pytest.approx([200 / 410, 330 / 410, 400 / 410, 1.0])
    assert df.customer_share.tolist() == [0.25, 0.5, 0.75, 1.0]
    big = orders_of([float(i) for i in range(1, 1001)])
    curve = run_query(big.cursor(), "concentration/pareto_curve", **YEAR)
    assert len(curve) == 100 and curve.customers_in_bucket.eq(10).all()
    # Top 10% of customers 1..1000 hold (991 + ... + 1000) / 500500.
    assert curve.cumulative_share.iloc[9] == pytest.approx(sum(range(901, 1001)) / 500500)


def test_whale_curve_and_unprofitable_customers():
    ws = orders_of([100, 50, -40])  # margins 50, 25, -20: total 55
    df = run_query(ws.cursor(), "concentration/whale_curve", **YEAR)
    assert df.cumulative_margin_share.tolist() == pytest.approx([50 / 55, 75 / 55, 1.0])
    assert df.is_peak.tolist() == [False, True, False]
    loss = run_query(ws.cursor(), "concentration/unprofitable_customers", **YEAR)
    assert loss.customer_id.tolist() == ["K3"] and float(loss.margin.iloc[0]) == -20
    assert (loss.unprofitable_customers.iloc[0], float(loss.total_loss.iloc[0])) == (1, 20)


def test_unprofitable_customers_carry_each_ones_own_contact_details():
    # Listed in another order than their keys (K4 first, K1 not at all): each row's details are its own customer's.
    ws = orders_of([-10, 50, -40, -30])
    insert(
        ws,
        "customers",
        [
            {"customer_id": "K4", "name": "Dai", "owner": "Wu", "phone": "134"},
            {"customer_id": "K3", "name": "Cai", "owner": "Li", "phone": "133"},
            {"customer_id": "K2", "name": "Bo", "owner": "Li", "phone": "132"},
        ],
    )
    loss = run_query(ws.cursor(), "concentration/unprofitable_customers", **YEAR)
    assert loss.customer_id.tolist() == ["K3", "K4", "K1"]
    assert loss.name.tolist()[:2] == ["Cai", "Dai"] and loss.owner.tolist()[:2] == ["Li", "Wu"]
    assert loss.phone.tolist()[:2] == ["133", "134"]
    assert loss[["name", "owner", "phone"]].iloc[2].isna().all()
