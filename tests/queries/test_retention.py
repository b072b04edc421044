"""retention/monthly_churn and retention/cohort_retention, worked out by hand on the small workspace.

Spells with W = 30 (churn date = order + 30 when the next order is more than 30 days later):
C1 01-10 -> churns 02-09, back 03-05 -> churns 04-04, 06-20 -> 07-20 (after the data ends: not yet a churn)
C2 02-01 -> churns 03-02;  C3 2023-12-15 -> churns 01-14, back 02-10 -> churns 03-11;  C4 06-30 -> 07-30
"""

import math
from datetime import date

import pandas as pd
import pytest

from dashboard.queries import run_query
from tests.queries.fixtures import JAN1, JUN30, small_orders


@pytest.fixture
def con():
    ws = small_orders()
    yield ws.cursor()
    ws.close()


def rows(df, *cols):
    out = []
    for r in df.itertuples():
        out.append(tuple(None if isinstance(v, float) and math.isnan(v) else v for v in (getattr(r, c) for c in cols)))
    return out


def test_monthly_churn_window_30(con):
    df = run_query(con, "retention/monthly_churn", start=JAN1, end=JUN30, window_days=30)
    assert [m.strftime("%m") for m in df.month] == ["01", "02", "03", "04", "05", "06"]
    assert rows(df, "active_start", "churned", "reactivated", "new_customers") == [
        (1, 1, 0, 1),  # Jan: C3 active on 1/1, churns 1/14; C1 new
        (2, 1, 1, 1),  # Feb: C1 and C2 active on 2/1; C1 churns 2/9; C3 comes back 2/10; C2 new
        (2, 2, 1, 0),  # Mar: C2, C3 active; both churn (3/2, 3/11); C1 comes back 3/5
        (1, 1, 0, 0),  # Apr: C1 active, churns 4/4
        (0, 0, 0, 0),
        (0, 0, 1, 1),  # Jun: C1 back on 6/20 (its churn on 7/20 is after the data ends); C4 new
    ]
    assert rows(df, "churn_rate")[:4] == [(1.0,), (0.5,), (1.0,), (1.0,)]
    assert df.churn_rate.iloc[4:].isna().all()
    assert not df.is_partial.any()


def test_monthly_churn_window_60(con):
    # W = 60: C1's 55-day gap and C3's 57-day gap no longer churn; churns: C2 4/1, C3 4/10, C1 5/4.
    df = run_query(con, "retention/monthly_churn", start=JAN1, end=JUN30, window_days=60)
    assert rows(df, "active_start", "churned", "reactivated") == [
        (1, 0, 0),
        (3, 0, 0),
        (3, 1, 0),
        (2, 1, 0),
        (1, 1, 0),
        (0, 0, 1),
    ]
    assert df.churn_rate.tolist()[:5] == pytest.approx([0, 0, 1 / 3, 1 / 2, 1])


def test_partial_last_month(con):
    df = run_query(con, "retention/monthly_churn", start=JAN1, end=JUN30.replace(day=25), window_days=30)
    assert df.is_partial.tolist() == [False] * 5 + [True]


@pytest.mark.parametrize("start", [date(2024, 8, 1), date(2024, 7, 15)])
def test_monthly_churn_of_a_period_after_the_last_order_is_empty(con, start):
    # The data ends 6/30. From 8/1 no order is recent enough to hold a customer (the as-of date is unknown); from
    # 7/15 the June orders are, but the as-of date (6/30) is before the period: no month has data either way.
    df = run_query(con, "retention/monthly_churn", start=start, end=date(2024, 9, 30), window_days=30)
    assert df.empty


def test_cohort_retention_cells_stop_at_the_data_edge(con):
    df = run_query(con, "retention/cohort_retention", start=JAN1, end=JUN30)
    c1 = df[df.cohort_month.dt.month == 1]
    assert c1.months_since.tolist() == [0, 1, 2, 3, 4, 5]
    assert c1.retention.tolist() == [1, 0, 1, 0, 0, 1]
    assert [float(v) for v in c1.revenue] == [100, 0, 50, 0, 0, -20]
    assert c1.revenue_retention.tolist() == pytest.approx([1, 0, 0.5, 0, 0, -0.2])
    c2 = df[df.cohort_month.dt.month == 2]
    assert c2.months_since.tolist() == [0, 1, 2, 3, 4] and c2.retention.tolist() == [1, 0, 0, 0, 0]
    c6 = df[df.cohort_month.dt.month == 6]
    assert c6.months_since.tolist() == [0] and float(c6.revenue.iloc[0]) == 10
    assert set(df.cohort_month.dt.month) == {1, 2, 6}  # C3's first order was in Dec 2023: not a cohort here
    assert (df.cohort_size == df.cohort_month.dt.month.map({1: 1, 2: 1, 6: 1})).all()


def test_grouped_churn_adds_up_to_the_whole(con):
    whole = run_query(con, "retention/monthly_churn", start=JAN1, end=JUN30, window_days=30)
    grouped = run_query(con, "retention/monthly_churn", start=JAN1, end=JUN30, window_days=30, group_by="region")
    sums = grouped.groupby("month")[["active_start", "churned", "reactivated", "new_customers"]].sum()
    assert sums.reset_index(drop=True).equals(
        whole[["active_start", "churned", "reactivated", "new_customers"]].reset_index(drop=True)
    )
    east = grouped[grouped.group_value == "East"].set_index(grouped[grouped.group_value == "East"].month.dt.month)
    north = grouped[grouped.group_value == "North"].set_index(grouped[grouped.group_value == "North"].month.dt.month)
    assert (east.active_start[1], east.churned[1]) == (1, 1)  # C3
    assert (north.active_start[2], north.churned[2], north.active_start[3], north.churned[3]) == (1, 0, 1, 1)  # C2
    assert grouped.group_value.isna().any()  # C4 is not in the customers table


def test_purchase_gaps(con):
    row = run_query(con, "retention/purchase_gaps", end=JUN30).iloc[0]
    # Gaps: C1 55 and 107 days, C3 57 days.
    assert (row.repeat_customers, row.gaps, row.median_gap_days) == (2, 3, 57)
    assert row.p90_gap_days == pytest.approx(57 + 0.8 * (107 - 57))
    assert row.suggested_window_days == 105  # 97 rounded up to a multiple of 15


def test_purchase_gaps_as_of_an_earlier_end(con):
    # By 3/31 only C1's 55-day and C3's 57-day gaps exist (C1's 6/20 order comes later): two repeat customers,
    # quantiles interpolated between them at positions 0.5, 0.75 and 0.9 of (2 - 1).
    row = run_query(con, "retention/purchase_gaps", end=date(2024, 3, 31)).iloc[0]
    assert (row.repeat_customers, row.gaps) == (2, 2)
    assert (row.median_gap_days, row.p75_gap_days) == (56, 56.5)
    assert row.p90_gap_days == pytest.approx(56.8)
    assert row.suggested_window_days == 60


def test_purchase_gaps_without_repeat_buyers(con):
    row = run_query(con, "retention/purchase_gaps", end=date(2024, 1, 31)).iloc[0]
    assert (row.repeat_customers, row.gaps, row.suggested_window_days) == (0, 0, 90)
    assert pd.isna(row.median_gap_days) and pd.isna(row.p90_gap_days)


def test_dormant_customers(con):
    df = run_query(con, "retention/dormant_customers", end=JUN30, window_days=90)
    # As of 6/30, dormant = last order on or before 4/1: C2 (2/1, 200) and C3 (2/10, 100 lifetime).
    assert df.customer_id.tolist() == ["C2", "C3"]
    assert [float(v) for v in df.lifetime_revenue] == [200, 100]
    assert df.days_inactive.tolist() == [150, 141]
    assert df.region.tolist() == ["North", "East"]
    assert df.dormant_customers.tolist() == [2, 2]
    top = run_query(con, "retention/dormant_customers", end=JUN30, window_days=90, limit=1)
    assert top.customer_id.tolist() == ["C2"] and top.dormant_customers.tolist() == [2]


def test_dormant_customers_as_of_an_earlier_end(con):
    # By 3/31 the latest order is C1's on 3/5, the as-of date; dormant with W = 30: last order by 2/4, so C2 (2/1)
    # only, 33 days before 3/5 (2024 is a leap year). C3's 2/10 order and C1's are within the window.
    df = run_query(con, "retention/dormant_customers", end=date(2024, 3, 31), window_days=30)
    assert df.customer_id.tolist() == ["C2"]
    assert df.days_inactive.tolist() == [33] and df.dormant_customers.tolist() == [1]


def test_active_base(con):
    row = run_query(con, "retention/active_base", end=JUN30, window_days=90).iloc[0]
    # Active on 6/30 with W = 90: C1 (6/20) and C4 (6/30); their revenue in 12 months: C1 130, C4 10.
    assert (row.active_customers, float(row.revenue_12m)) == (2, 140)
    assert row.revenue_per_active == 70


def test_churn_rate_sums_the_complete_months(con):
    # W = 30, months above: churned 1+1+2+1+0+0 = 5 over active at the starts 1+2+2+1+0+0 = 6.
    df = run_query(con, "retention/churn_rate", start=JAN1, end=JUN30, window_days=30)
    assert rows(df, "group_value", "churned", "active_start") == [(None, 5, 6)]
    assert df.churn_rate.iloc[0] == pytest.approx(5 / 6)
    # June partial (data to 06-25): still the same months count, June's zeros drop out.
    partial = run_query(con, "retention/churn_rate", start=JAN1, end=JUN30.replace(day=25), window_days=30)
    assert rows(partial, "churned", "active_start") == [(5, 6)]
    # W = 60: 0+0+1+1+1+0 = 3 churned over 1+3+3+2+1+0 = 10.
    df = run_query(con, "retention/churn_rate", start=JAN1, end=JUN30, window_days=60)
    assert df.churn_rate.iloc[0] == pytest.approx(3 / 10)


def test_churn_rate_is_missing_without_active_customers(con):
    # June alone (W = 30): nobody active on 06-01 (C1 comes back on 06-20, C4 is new).
    df = run_query(con, "retention/churn_rate", start=date(2024, 6, 1), end=JUN30, window_days=30)
    assert rows(df, "churned", "active_start", "churn_rate") == [(0, 0, None)]
    # May alone: no order up to it in May, so no month at all, and no row.
    assert run_query(con, "retention/churn_rate", start=date(2024, 5, 1), end=date(2024, 5, 31)).empty


def test_churn_rate_by_segment(con):
    # W = 30, by segment: SMB (C1, C3) churned in Jan (C3), Feb (C1), Mar (C3), Apr (C1), each time the one
    # SMB customer active at the month's start; Enterprise (C2) active in Feb and Mar, churned in Mar.
    df = run_query(con, "retention/churn_rate", start=JAN1, end=JUN30, window_days=30, group_by="segment")
    got = {g: (c, a) for g, c, a in rows(df, "group_value", "churned", "active_start") if a}
    assert got == {"SMB": (4, 4), "Enterprise": (1, 2)}


def test_churn_summary(con):
    # W = 30, the months above: churned 1+1+2+1+0+0 = 5, reactivated 0+1+1+0+0+1 = 3; June starts with 0 active.
    s = run_query(con, "retention/churn_summary", start=JAN1, end=JUN30, window_days=30).iloc[0]
    assert (s.churned, s.reactivated, s.active_start_latest) == (5, 3, 0)
    assert s.churn_rate == pytest.approx(5 / 6)
    # Up to 06-25 the partial June counts in the sums too (the rate stays on complete months).
    s = run_query(con, "retention/churn_summary", start=JAN1, end=JUN30.replace(day=25), window_days=30).iloc[0]
    assert (s.churned, s.reactivated, s.churn_rate) == (5, 3, pytest.approx(5 / 6))
    # Nothing up to May in May alone: no month, no row.
    assert run_query(con, "retention/churn_summary", start=date(2024, 5, 1), end=date(2024, 5, 31)).empty
