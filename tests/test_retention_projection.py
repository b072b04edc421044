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
