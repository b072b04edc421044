"""The churn projection arithmetic, against numbers worked out by hand."""

import pytest

from dashboard.retention import Projection


def test_projection():
    p = Projection(base=1000, rate=0.05, revenue_per_customer=1200.0)
    # 1 - 0.95^12 = 0.459640
    assert p.lost == pytest.approx(459.640, abs=1e-3)
    assert p.revenue_lost == pytest.approx(459.640 * 1200, abs=1)
    customers, revenue = p.saved_by(0.04)
    # 1 - 0.96^12 = 0.387290
    assert customers == pytest.approx(459.640 - 387.290, abs=1e-3)
    assert revenue == pytest.approx(customers * 1200)


def test_no_churn_loses_nobody():
    assert Projection(500, 0.0, 10.0).lost == 0


def test_the_projection_result_reads_the_base_and_the_churn(demo_workspace):
    from datetime import date

    from dashboard.queries import run_query
    from dashboard.workspace import Workspace

    ws = Workspace(demo_workspace)
    params = {"start": date(2025, 11, 1), "end": date(2026, 10, 31), "window_days": 60}
    row = ws.results.frame("retention/projection", {**params, "target_rate": 0.01}).iloc[0]
    base = run_query(ws.cursor(), "retention/active_base", **params).iloc[0]
    rate = run_query(ws.cursor(), "retention/churn_rate", **params)["churn_rate"].iloc[0]
    ws.close()
    expected = Projection(int(base.active_customers), rate, float(base.revenue_per_active))
    assert (row.active_customers, row.churn_rate, row.target_rate) == (base.active_customers, rate, 0.01)
    assert (row.lost, row.revenue_lost) == pytest.approx((expected.lost, expected.revenue_lost))
    assert (row.saved_customers, row.saved_revenue) == pytest.approx(expected.saved_by(0.01))
