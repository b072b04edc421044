"""The marts: derived tables kept in step with orders and customers, and shared building blocks computed once."""

from datetime import date
from decimal import Decimal as Dec

import pandas as pd
import pytest

from dashboard import marts
from dashboard.queries import load_query, reads, run_query, shared_uses, sources
from dashboard.results import key
from dashboard.workspace import Workspace
from tests.conftest import insert, load

D1, D2 = date(2024, 3, 1), date(2024, 3, 9)


def _days(ws) -> list[tuple]:
    sql = """SELECT k.customer_id, d.order_date, d.revenue, d.margin, d.orders, d.previous_date, d.next_date
             FROM _customer_days d JOIN _customer_keys k USING (ck) ORDER BY 1, 2"""
    return [tuple(r) for r in ws.cursor().execute(sql).fetchall()]


def test_customer_days_count_distinct_orders_exactly(ws):
    lines = [
        # C1 on D1: one order of three lines -> 1 order.
        ("A", "C1", D1, "10.00", "1.00"),
        ("A", "C1", D1, "5.00", None),
        ("A", "C1", D1, "2.50", None),
        # C1 on D2: two orders of two lines each, and a line without an id -> 3 orders (the exact-count path).
        ("B", "C1", D2, "1.00", None),
        ("B", "C1", D2, "1.00", None),
        ("C", "C1", D2, "1.00", None),
        ("C", "C1", D2, "1.00", None),
        (None, "C1", D2, "0.01", None),
        # C2 on D1: two single-line orders -> 2 orders (the two-line path); refund nets the revenue.
        ("D", "C2", D1, "100.00", "40.00"),
        ("E", "C2", D1, "-30.00", "-12.00"),
    ]
    fields = ("order_id", "customer_id", "order_date", "amount", "gross_margin")
    insert(ws, "orders", [dict(zip(fields, r, strict=True)) for r in lines])

    assert _days(ws) == [
        ("C1", D1, Dec("17.50"), Dec("1.00"), 1, None, D2),
        ("C1", D2, Dec("4.01"), None, 3, D1, None),
        ("C2", D1, Dec("70.00"), Dec("28.00"), 2, None, None),
    ]
    keys = ws.cursor().execute("SELECT customer_id, ck, listed FROM _customer_keys ORDER BY ck").fetchall()
    assert keys == [("C1", 1, False), ("C2", 2, False)]
    # Running totals through each day: C1 17.50 then 17.50 + 4.01, 1 then 1 + 3 orders.
    totals = ws.cursor().execute(
        "SELECT ck, revenue_to_date, orders_to_date FROM _customer_days ORDER BY 1, order_date"
    )
    assert totals.fetchall() == [(1, Dec("17.50"), 1), (1, Dec("21.51"), 4), (2, Dec("70.00"), 2)]


def test_marts_follow_loads_and_undo(ws):
    load(ws, "customer_id,order_date,amount\nC2,2024-01-05,10\nC1,2024-02-01,20\n", "orders.csv")
    assert [r[0] for r in _days(ws)] == ["C1", "C2"]
    load(ws, "customer_id,region\nC0,East\nC1,West\n", "customers.csv")
    keys = ws.cursor().execute("SELECT customer_id, listed, region FROM _customer_keys ORDER BY ck").fetchall()
    assert keys == [("C0", True, "East"), ("C1", True, "West"), ("C2", False, None)]
    load(ws, "customer_id,order_date,amount\nC3,2024-03-01,5\n", "orders.csv")
    assert [r[0] for r in _days(ws)] == ["C3"]
    assert ws.undo_last("orders")
    assert [r[0] for r in _days(ws)] == ["C1", "C2"]


def test_customer_categories_carry_the_segment_a_customers_load_gives(ws):
    csv = "customer_id,order_date,amount,category\nC1,2024-01-05,10,Tea\nC1,2024-02-01,20,Tea\nC2,2024-02-01,5,Cups\n"
    load(ws, csv, "orders.csv")
    sql = "SELECT k.customer_id, c.segment, c.category, c.last_date, list_sort(c.dates) FROM _customer_categories c "
    sql += "JOIN _customer_keys k USING (ck) ORDER BY 1"
    assert ws.cursor().execute(sql).fetchall() == [
        ("C1", None, "Tea", date(2024, 2, 1), [date(2024, 1, 5), date(2024, 2, 1)]),
        ("C2", None, "Cups", date(2024, 2, 1), [date(2024, 2, 1)]),
    ]
    load(ws, "customer_id,segment\nC1,Retail\nC2,Trade\n", "customers.csv")
    assert [r[:2] for r in ws.cursor().execute(sql).fetchall()] == [("C1", "Retail"), ("C2", "Trade")]
    assert ws.undo_last("customers")
    assert [r[:2] for r in ws.cursor().execute(sql).fetchall()] == [("C1", None), ("C2", None)]


def test_every_mart_names_the_canonical_tables_it_is_built_from():
    from dashboard.schema import TABLES

    for name in marts.MARTS:
        assert sources(f"marts/{name}") and sources(f"marts/{name}") <= set(TABLES), name
    assert sources("marts/lead_facts") == {"leads", "orders", "customers"}
    assert sources("marts/nps_daily") == {"nps"}


def test_marts_are_built_after_the_marts_they_read():
    for i, name in enumerate(marts.MARTS):
        read = {r.split("/")[1] for r in reads(f"marts/{name}") if r.startswith("marts/")}
        assert read <= set(marts.MARTS[:i]), name
    assert reads("marts/customer_days") == {"marts/order_lines"}


def test_each_load_rebuilds_only_the_marts_built_from_its_table(ws, monkeypatch):
    assert set(marts.affected("orders")) == {
        "customer_keys",
        "order_lines",
        "customer_days",
        "customer_windows",
        "customer_categories",
        "lead_facts",
    }
    assert marts.affected("nps") == ("nps_daily",)
    assert marts.affected("leads") == ("lead_facts",)
    rebuilt = []
    monkeypatch.setattr(marts, "refresh", lambda con, names=marts.MARTS: rebuilt.append(names))
    load(ws, "lead_id,channel,created_at\nL1,Search,2024-01-02\n", "leads.csv")
    load(ws, "response_id,customer_id,responded_at,score\nR1,C1,2024-01-02,9\n", "nps.csv")
    assert rebuilt == [("lead_facts",), ("nps_daily",)]


def test_nps_daily_counts_promoters_passives_and_detractors_per_day_and_follows_undo(ws):
    csv = "response_id,customer_id,responded_at,score\n"
    rows = "R1,C1,2024-01-02 09:00,9\nR2,C2,2024-01-02 17:30,10\nR3,C3,2024-01-02,7\n"
    rows += "R4,C1,2024-01-03,6\nR5,C2,2024-01-03,0\n"
    load(ws, csv + rows, "nps.csv")
    sql = "SELECT day, promoters, passives, detractors FROM _nps_daily ORDER BY 1"
    first = [(date(2024, 1, 2), 2, 1, 0), (date(2024, 1, 3), 0, 0, 2)]
    assert ws.cursor().execute(sql).fetchall() == first
    load(ws, csv + "R6,C1,2024-02-01,8\n", "nps.csv")
    assert ws.cursor().execute(sql).fetchall() == [(date(2024, 2, 1), 0, 1, 0)]
    assert ws.undo_last("nps")
    assert ws.cursor().execute(sql).fetchall() == first


def test_lead_facts_follow_orders_loaded_after_the_leads(ws):
    load(ws, "lead_id,channel,created_at,stage,customer_id\nL1,Search,2024-01-02,Won,C1\nL2,Ads,2024-01-03,Open,C1\n")
    sql = "SELECT lead_id, ck, is_converted, revenue_365d FROM _lead_facts ORDER BY lead_id"
    # No orders yet: C1 has no key and the won lead brought nothing known.
    assert ws.cursor().execute(sql).fetchall() == [("L1", None, True, None), ("L2", None, False, None)]
    # Orders on the conversion day and 364 days later count; 365 days later is outside the year.
    load(ws, "customer_id,order_date,amount\nC1,2024-01-02,10\nC1,2024-12-31,5\nC1,2025-01-01,7\n", "orders.csv")
    assert ws.cursor().execute(sql).fetchall() == [("L1", 1, True, Dec("15.00")), ("L2", 1, False, None)]
    assert ws.undo_last("orders")
    assert ws.cursor().execute(sql).fetchall() == [("L1", None, True, None), ("L2", None, False, None)]


def test_a_failed_load_leaves_the_marts_as_they_were(ws, monkeypatch):
    load(ws, "customer_id,order_date,amount\nC1,2024-01-05,10\n", "orders.csv")
    before, version = _days(ws), ws.version

    def broken(con, names=marts.MARTS):
        raise RuntimeError("disk full")

    monkeypatch.setattr(marts, "refresh", broken)
    with pytest.raises(RuntimeError):
        load(ws, "customer_id,order_date,amount\nC9,2024-01-05,99\n", "orders.csv")
    assert _days(ws) == before and ws.version == version
    assert ws.row_counts()["orders"] == 1


def test_a_workspace_with_other_mart_definitions_is_rebuilt_on_open(tmp_path):
    path = tmp_path / "w.duckdb"
    w = Workspace(path)
    insert(w, "orders", [{"customer_id": "C1", "order_date": D1, "amount": "5.00"}])
    w.cursor().execute("DELETE FROM _customer_days")
    w.set_state("marts", "an older definition")
    version = w.version
    w.close()
    w = Workspace(path)
    assert len(_days(w)) == 1 and w.version == version + 1
    w.close()


def test_temporary_marts_are_dropped(ws):
    tables = {r[0] for r in ws.cursor().execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {"_customer_keys", "_customer_days", "_customer_categories"} <= tables
    assert "_order_lines" not in tables


def test_shared_blocks_are_found_through_other_uses():
    assert shared_uses("investment/quadrant_summary") == ["investment/customer_looks"]
    assert shared_uses("concentration/customer_values") == ["concentration/customer_ranks"]
    assert shared_uses("overview/period_kpis") == []
    assert load_query("investment/customer_looks").shared and not load_query("investment/customer_scores").shared


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("investment/quadrant_summary", {"w_cross": 2.0}),
        ("investment/customer_quadrants", {"quadrant": "cash_cow", "limit": 3}),
        ("investment/map_points", {"max_points": 10}),
        ("concentration/abc_tiers", {"measure": "margin"}),
        ("concentration/customer_values", {"customer_id": "C0000007"}),
        ("acquisition/channel_conversion", {}),
        ("acquisition/conversion_by_month", {"channel": ["Trade Show"]}),
    ],
)
def test_a_provided_block_gives_the_same_result(demo_workspace, name, extra):
    w = Workspace(demo_workspace)
    con = w.cursor()
    params = {"start": date(2025, 11, 1), "end": date(2026, 10, 31), "window_days": 90, **extra}
    inline = run_query(con, name, **params)
    provided = w.results.frame(name, params)
    kept = [w.results._find(block, key(block, params)) for block in shared_uses(name)]
    w.close()
    assert all(kept) and len(inline) > 0
    pd.testing.assert_frame_equal(inline, provided)


def test_filter_groups_follow_region_order_and_the_days_are_stored_by_group(ws):
    """One region's groups are consecutive numbers and its days one run of the table, so a filter skips the rest."""
    customers = "customer_id,region,segment\nC1,West,SMB\nC2,East,SMB\nC3,North,Retail\nC4,East,Retail\n"
    customers += "C5,West,Retail\n"
    load(ws, customers, "customers.csv")
    orders = "".join(f"C{i},2024-0{m}-0{i},{i}\n" for m in (1, 2, 3) for i in (5, 4, 3, 2, 1))
    load(ws, "customer_id,order_date,amount\n" + orders + "C9,2024-01-01,1\n", "orders.csv")
    con = ws.cursor()
    groups = con.execute("SELECT region, segment, filter_group FROM _customer_keys WHERE listed ORDER BY 3").fetchall()
    assert [g[:2] for g in groups] == [
        ("East", "Retail"),
        ("East", "SMB"),
        ("North", "Retail"),
        ("West", "Retail"),
        ("West", "SMB"),
    ]
    assert [g[2] for g in groups] == [1, 2, 3, 4, 5]
    # Read in stored order (no ORDER BY): group by group, the unlisted customer's days last.
    stored = [r[0] for r in con.execute("SELECT filter_group FROM _customer_days").fetchall()]
    assert stored == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, None]
