"""The scope blocks every customer query builds on, worked out by hand on the small workspace (fixtures.py)."""

from datetime import date

import pandas as pd
import pytest

from dashboard.queries import run_query
from tests.conftest import insert
from tests.queries.fixtures import small_orders


@pytest.fixture
def con():
    ws = small_orders()
    yield ws.cursor()
    ws.close()


@pytest.mark.parametrize(
    ("end", "filters", "expected"),
    [
        # Every customer: C4's 06-30 order is the last; C3's 2023-12-15 the first.
        (date(2024, 6, 30), {}, (date(2024, 6, 30), date(2023, 12, 15))),
        # The last order on or before the end, not the end itself.
        (date(2024, 6, 25), {}, (date(2024, 6, 20), date(2023, 12, 15))),
        (date(2024, 3, 1), {}, (date(2024, 2, 10), date(2023, 12, 15))),
        # Region East is C1 and C3; North is C2 alone; C4 is in no region (not in customers).
        (date(2024, 6, 30), {"region": ["East"]}, (date(2024, 6, 20), date(2023, 12, 15))),
        (date(2024, 6, 30), {"region": ["North"]}, (date(2024, 2, 1), date(2024, 2, 1))),
        # Nothing on or before the end: NULLs, still one row.
        (date(2023, 1, 1), {}, (None, None)),
        # No end (how the investment windows mart is built): the data's last order day.
        (None, {}, (date(2024, 6, 30), date(2023, 12, 15))),
        (None, {"region": ["North"]}, (date(2024, 2, 1), date(2024, 2, 1))),
    ],
)
def test_as_of_is_the_last_order_day_in_scope(con, end, filters, expected):
    df = run_query(con, "scope/as_of", end=end, **filters)
    assert len(df) == 1
    got = tuple(None if v is None or v != v else v.date() if hasattr(v, "date") else v for v in df.iloc[0])
    assert got == expected


def test_days_in_scope_without_an_end_are_every_day_as_the_data_stands(con):
    every = con.execute("SELECT ck, order_date, next_date FROM _customer_days ORDER BY ALL").df()
    df = run_query(con, "scope/days_in_scope", end=None)[["ck", "order_date", "next_date"]]
    pd.testing.assert_frame_equal(df.sort_values(["ck", "order_date"], ignore_index=True), every)
    assert every.next_date.notna().any()
    # With an end, a next order after it is not known yet.
    cut = run_query(con, "scope/days_in_scope", end=date(2024, 2, 10))
    assert len(cut) < len(every) and cut.next_date.max() <= pd.Timestamp(2024, 2, 10)


@pytest.fixture
def grouped(ws):
    """C1 and C2 share region, segment and channel; C3 has no segment; C4 is elsewhere; C5 is not in customers;
    C6 is in customers with no region, segment or channel, and has no orders."""
    customers = [
        ("C1", "East", "SMB", "Ads"),
        ("C2", "East", "SMB", "Ads"),
        ("C3", "East", None, "Ads"),
        ("C4", "West", "SMB", "Ads"),
        # Nothing known: its group's attributes are those of a customer missing from the table.
        ("C6", None, None, None),
    ]
    fields = ("customer_id", "region", "segment", "acquisition_channel")
    insert(ws, "customers", [dict(zip(fields, c, strict=True)) for c in customers])
    days = [("C1", "2024-01-05"), ("C1", "2024-02-05"), ("C2", "2024-01-06"), ("C3", "2024-01-07")]
    days += [("C4", "2024-01-08"), ("C5", "2024-01-09")]
    insert(ws, "orders", [{"customer_id": c, "order_date": d, "amount": 10} for c, d in days])
    return ws


def _days_in_scope(ws, **filters) -> list[str]:
    """The customer of each day in scope, sorted (one entry per order day)."""
    df = run_query(ws.cursor(), "scope/days_in_scope", end=date(2024, 12, 31), **filters)
    ids = dict(ws.cursor().execute("SELECT ck, customer_id FROM _customer_keys").fetchall())
    return sorted(ids[ck] for ck in df["ck"])


def test_customers_of_one_region_segment_and_channel_share_a_filter_group(grouped):
    keys = dict(grouped.cursor().execute("SELECT customer_id, filter_group FROM _customer_keys").fetchall())
    assert keys["C1"] == keys["C2"]
    assert len({keys["C1"], keys["C3"], keys["C4"], keys["C6"]}) == 4
    # Not in the customers table: in no group (not C6's either), so no filter keeps it.
    assert keys["C5"] is None
    # Every order day carries its customer's group.
    sql = "SELECT DISTINCT k.customer_id, d.filter_group FROM _customer_days d JOIN _customer_keys k USING (ck)"
    assert dict(grouped.cursor().execute(sql).fetchall()) == {c: g for c, g in keys.items() if c != "C6"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["C1", "C1", "C2", "C3", "C4", "C5"]),
        ({"region": ["East"]}, ["C1", "C1", "C2", "C3"]),
        # C3 has no segment: a segment filter never keeps it.
        ({"segment": ["SMB"]}, ["C1", "C1", "C2", "C4"]),
        ({"region": ["East"], "segment": ["SMB"]}, ["C1", "C1", "C2"]),
        ({"region": ["West", "North"], "channel": ["Ads"]}, ["C4"]),
        ({"region": ["North"]}, []),
    ],
)
def test_days_in_scope_keep_the_days_of_the_customers_the_filters_keep(grouped, filters, expected):
    assert _days_in_scope(grouped, **filters) == expected


def test_days_in_scope_follow_a_customer_moved_to_another_region(grouped):
    grouped.cursor().execute("UPDATE customers SET region = 'West' WHERE customer_id = 'C3'")
    grouped.refresh_marts()
    assert _days_in_scope(grouped, region=["West"]) == ["C3", "C4"]
    assert _days_in_scope(grouped, region=["East"]) == ["C1", "C1", "C2"]
