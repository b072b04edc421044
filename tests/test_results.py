"""Results stored at the end of a load: the same rows as computing them, used only while they are current."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from dashboard import results
from dashboard.config import SAMPLES_DIR
from dashboard.i18n import fmt_money
from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import load
from tests.pages.conftest import run_page

OVERVIEW_QUERIES = {
    "overview/period_kpis": 2,
    "overview/monthly_trend": 1,
    "retention/monthly_churn": 2,
    "concentration/pareto_summary": 2,
    "concentration/top20_by_quarter": 1,
    "advocacy/nps_monthly": 2,
    "acquisition/lead_outcomes": 1,
    "acquisition/conversion_by_month": 2,
    "investment/customer_spend": 1,
    "investment/cross_buy": 1,
    "investment/engagement": 1,
    "investment/customer_looks": 1,
    "investment/quadrant_summary": 2,
}


def _params(key: str) -> dict:
    params = json.loads(key)
    for name in ("start", "end"):
        if name in params:  # the investment blocks have no start
            params[name] = date.fromisoformat(params[name])
    return params


def _same(con, row, version) -> None:
    # The looks and their blocks come in no particular order (keyed by ck): compare them sorted; every other
    # result as it comes.
    stored = results.read(con, row.name, row.key, version)
    computed = run_query(con, row.name, **_params(row.key))
    if "ck" in computed.columns:
        stored, computed = (f.sort_values("ck", ignore_index=True) for f in (stored, computed))
        arrows = (
            results.read(con, row.name, row.key, version, as_arrow=True),
            run_query(con, row.name, as_arrow=True, **_params(row.key)),
        )
        stored_arrow, computed_arrow = (a.to_pandas().sort_values("ck", ignore_index=True) for a in arrows)
        pd.testing.assert_frame_equal(stored_arrow, computed_arrow)
    pd.testing.assert_frame_equal(stored, computed, obj=f"{row.name} {row.key}")
    assert len(stored) > 0, row.name


def _index(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM _results ORDER BY table_name").df()


@pytest.fixture
def demo(demo_workspace, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, path)
    w = Workspace(path)
    yield w
    w.close()


def test_the_demo_build_stores_every_overview_query_for_both_periods(demo):
    con = demo.cursor()
    index = _index(con)
    assert index.groupby("name").size().to_dict() == OVERVIEW_QUERIES
    assert set(index["version"]) == {demo.version}
    periods = {(p.get("start"), p["end"]) for p in map(_params, index["key"])}
    # The investment blocks (no start) are stored for the current period only.
    current, previous = (date(2025, 11, 1), date(2026, 10, 31)), (date(2024, 11, 1), date(2025, 10, 31))
    assert periods == {current, previous, (None, current[1])}


def test_every_stored_result_equals_the_computed_one(demo):
    con = demo.cursor()
    for row in _index(con).itertuples():
        _same(con, row, demo.version)


def test_a_load_makes_the_stored_results_stale_until_the_refresh(demo):
    con = demo.cursor()
    key = _index(con).query("name == 'overview/period_kpis'")["key"].iloc[0]
    before = results.read(con, "overview/period_kpis", key, demo.version)
    # The first customer again, unchanged: a new version with the same data.
    same = "\n".join((SAMPLES_DIR / "customers.csv").read_text(encoding="utf-8").splitlines()[:2])
    load(demo, same, "again.csv", kind="customers", mode="append")
    # The old rows stay in the file but are never read at the new version.
    assert results.read(con, "overview/period_kpis", key, demo.version) is None
    assert results.refresh(demo) == sum(OVERVIEW_QUERIES.values())
    after = results.read(con, "overview/period_kpis", key, demo.version)
    pd.testing.assert_frame_equal(after, before)
    assert set(_index(con)["version"]) == {demo.version}
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '_result_')").fetchall()
    assert len(tables) == sum(OVERVIEW_QUERIES.values())


@pytest.mark.parametrize(
    ("table", "recomputed"),
    [
        ("ad_spend", set()),
        ("tickets", set()),
        (
            "nps",
            {
                "advocacy/nps_monthly",
                "investment/quadrant_summary",
                "investment/customer_looks",
                "investment/engagement",
            },
        ),
    ],
)
def test_a_load_recomputes_only_the_results_reading_its_table(demo, table, recomputed):
    con = demo.cursor()
    before = _index(con).set_index("table_name")
    load(demo, (SAMPLES_DIR / f"{table}.csv").read_bytes(), f"{table}.csv", kind=table)
    assert results.refresh(demo) == sum(OVERVIEW_QUERIES[name] for name in recomputed)
    after = _index(con).set_index("table_name")
    assert after.groupby("name").size().to_dict() == OVERVIEW_QUERIES
    assert set(after["version"]) == {demo.version}
    assert set(after.index.difference(before.index).map(after["name"].get)) == recomputed
    for row in after.reset_index().itertuples():
        _same(con, row, demo.version)


def test_sources_name_the_tables_behind_marts_and_used_queries():
    assert results.sources("advocacy/nps_monthly") == {"nps", "orders", "customers"}
    assert results.sources("investment/quadrant_summary") == {
        "orders", "customers", "interactions", "nps", "referrals"
    }  # fmt: skip
    assert results.sources("acquisition/conversion_by_month") == {"leads", "orders", "customers"}


def test_an_edited_query_is_never_served_from_an_old_result(demo, monkeypatch):
    con = demo.cursor()
    key = _index(con).query("name == 'overview/period_kpis'")["key"].iloc[0]
    monkeypatch.setattr(results, "_sql_hash", lambda name: "edited")
    assert results.read(con, "overview/period_kpis", key, demo.version) is None


def test_empty_and_partial_workspaces(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    assert results.refresh(ws) == 0
    prepared, _ = load(ws, (SAMPLES_DIR / "nps.csv").read_bytes(), "nps.csv", kind="nps")
    prepared.discard()
    # NPS alone: its two monthly results and nothing built on orders or leads.
    assert results.refresh(ws) == 2
    assert set(_index(ws.cursor())["name"]) == {"advocacy/nps_monthly"}
    ws.close()


def test_the_overview_reads_the_stored_results(monkeypatch, demo):
    # Change the stored revenue: the page must show the stored figure, proof that it did not recompute.
    con = demo.cursor()
    table = _index(con).query("name == 'overview/period_kpis'")["table_name"].iloc[0]
    con.execute(f"UPDATE {table} SET revenue = 1234567")
    path = demo.path
    demo.close()
    at = run_page(monkeypatch, path)
    assert {m.label: m.value for m in at.metric}["Revenue"] == fmt_money(1234567) == "¥1.2M"
