"""value/customer_summary, worked out by hand on the small workspace (see tests/queries/fixtures.py).

C1: 2024-01-10 100, 03-05 50, 06-20 -20 (a refund); C2: 02-01 200; C3: 2023-12-15 30, 02-10 70; C4: 06-30 10.
Days (2024 is a leap year): 01-10 -> 06-20 162, 01-10 -> 06-30 172, 02-01 -> 06-30 150, 12-15 -> 02-10 57,
12-15 -> 06-30 198; to 03-01: from 01-10 51, from 02-01 29, from 12-15 77.
"""

from datetime import date

import pandas as pd
import pytest

from dashboard.queries import run_query
from tests.queries.fixtures import small_orders


@pytest.fixture
def con():
    ws = small_orders()
    yield ws.cursor()
    ws.close()


def summary(con, **params) -> dict:
    df = run_query(con, "value/customer_summary", **params)
    return {r.customer_id: r for r in df.itertuples()}


def test_calibration_at_the_datas_last_order_day(con):
    s = summary(con)
    assert {r.calibration_end for r in s.values()} == {pd.Timestamp(2024, 6, 30)}
    c1, c2, c3, c4 = s["C1"], s["C2"], s["C3"], s["C4"]
    assert (c1.frequency, c1.recency_weeks, c1.age_weeks) == (2, pytest.approx(162 / 7), pytest.approx(172 / 7))
    assert c1.avg_repeat_value == 15.0 and float(c1.total_value) == 130  # (50 - 20) / 2: the refund day counts
    assert (c2.frequency, c2.recency_weeks, c2.age_weeks) == (0, 0, pytest.approx(150 / 7))
    assert pd.isna(c2.avg_repeat_value) and float(c2.total_value) == 200
    assert (c3.frequency, c3.recency_weeks, c3.age_weeks, c3.avg_repeat_value) == (
        1, pytest.approx(57 / 7), pytest.approx(198 / 7), 70.0
    )  # fmt: skip
    assert (c4.frequency, c4.recency_weeks, c4.age_weeks) == (0, 0, 0)


def test_an_earlier_calibration_end_sees_only_what_happened_by_then(con):
    s = summary(con, end=date(2024, 3, 1))
    assert set(s) == {"C1", "C2", "C3"}  # C4 bought later
    assert (s["C1"].frequency, s["C1"].age_weeks) == (0, pytest.approx(51 / 7))
    assert pd.isna(s["C1"].avg_repeat_value) and float(s["C1"].total_value) == 100
    assert s["C2"].age_weeks == pytest.approx(29 / 7)
    assert (s["C3"].frequency, s["C3"].age_weeks, s["C3"].avg_repeat_value) == (1, 11.0, 70.0)


def test_same_day_orders_are_one_purchase():
    from dashboard.workspace import Workspace
    from tests.conftest import insert

    ws = Workspace(":memory:")
    rows = [("A", "2024-01-01", 10), ("B", "2024-01-01", 5), ("C", "2024-01-08", 7), ("D", "2024-01-08", 3)]
    insert(ws, "orders", [{"order_id": o, "customer_id": "Z", "order_date": d, "amount": a} for o, d, a in rows])
    z = summary(ws.cursor())["Z"]
    ws.close()
    assert (z.frequency, z.recency_weeks, z.age_weeks, z.avg_repeat_value) == (1, 1.0, 1.0, 10.0)


def test_customer_filters(con):
    assert set(summary(con, segment=["SMB"])) == {"C1", "C3"}
    assert set(summary(con, channel=["SEO"])) == {"C2", "C3"}
