"""Results stored at the end of a load: the same rows as computing them, used only while they are current."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from dashboard import models, results
from dashboard.config import SAMPLES_DIR
from dashboard.i18n import fmt_money
from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import load
from tests.pages.conftest import run_page

FIRST_VIEW = {
    "overview/kpis": 1,
    "overview/quadrant_counts": 1,
    "overview/data_bounds": 1,
    "overview/period_kpis": 2,
    "overview/monthly_trend": 1,
    "retention/monthly_churn": 1,
    "retention/churn_rate": 2,
    "concentration/pareto_summary": 2,
    "concentration/top20_by_quarter": 1,
    "advocacy/nps_monthly": 1,
    "advocacy/nps_summary": 2,
    "acquisition/lead_outcomes": 1,
    "acquisition/conversion_by_month": 1,
    "acquisition/channel_totals": 2,
    "investment/customer_spend": 1,
    "investment/cross_buy": 1,
    "investment/engagement": 1,
    "investment/customer_looks": 1,
    "investment/quadrant_summary": 2,
}


def _params(key: str) -> dict:
    params = json.loads(key)
    for name in ("start", "end"):
        if params.get(name):  # the investment blocks have no start
            params[name] = date.fromisoformat(params[name])
    return params


def _computed(con, name: str, params: dict) -> pd.DataFrame:
    model = models.MODELS.get(name)
    if model:
        return model.fn(lambda n, inline=False, **p: _computed(con, n, p), **params)
    return run_query(con, name, **params)


def _same(con, row) -> None:
    # The looks and their blocks come in no particular order (keyed by ck): compare them sorted; every other
    # result as it comes.
    stored = con.execute(f"SELECT * FROM {row.table_name}").df()
    computed = _computed(con, row.name, _params(row.key))
    if "ck" in computed.columns:
        stored, computed = (f.sort_values("ck", ignore_index=True) for f in (stored, computed))
    if "trend" in computed.columns:
        stored, computed = (f.assign(trend=f["trend"].map(list)) for f in (stored, computed))
    pd.testing.assert_frame_equal(stored, computed, obj=f"{row.name} {row.key}", check_dtype=False)
    assert len(stored) > 0, row.name


def _index(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM _results ORDER BY table_name").df()


def _current(ws) -> bool:
    changed = {k[8:]: int(v) for k, v in ws.cursor().execute("SELECT * FROM _state").fetchall() if k[:8] == "changed:"}
    return all(all(changed.get(t, 0) <= row.version for t in row.sources) for row in _index(ws.cursor()).itertuples())


@pytest.fixture
def demo(demo_workspace, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, path)
    w = Workspace(path)
    yield w
    w.close()


def test_the_demo_build_stores_every_first_view_result_for_both_periods(demo):
    con = demo.cursor()
    index = _index(con)
    assert index.groupby("name").size().to_dict() == FIRST_VIEW
    assert _current(demo)
    periods = {(p.get("start"), p.get("end")) for p in map(_params, index["key"])}
    # The investment blocks (no start) are stored for the current period only.
    current, previous = (date(2025, 11, 1), date(2026, 10, 31)), (date(2024, 11, 1), date(2025, 10, 31))
    assert periods == {current, previous, (None, current[1]), (None, None)}


def test_every_stored_result_equals_the_computed_one(demo):
    con = demo.cursor()
    for row in _index(con).itertuples():
        _same(con, row)


def test_a_load_brings_the_stored_results_up_to_date_itself(demo):
    con = demo.cursor()
    key = _index(con).query("name == 'overview/period_kpis'")["key"].iloc[0]  # noqa: F841 (read by query)
    read = "SELECT * FROM {} ".format
    table = _index(con).query("name == 'overview/period_kpis' and key == @key")["table_name"].iloc[0]
    before = con.execute(read(table)).df()
    # The first customer again, unchanged: a new version with the same data, and every result reads customers.
    same = "\n".join((SAMPLES_DIR / "customers.csv").read_text(encoding="utf-8").splitlines()[:2])
    load(demo, same, "again.csv", kind="customers", mode="append")
    after = _index(con)
    assert table not in set(after["table_name"])  # the old one is gone with its index row
    assert after.groupby("name").size().to_dict() == FIRST_VIEW and _current(demo)
    new = after.query("name == 'overview/period_kpis' and key == @key")["table_name"].iloc[0]
    pd.testing.assert_frame_equal(con.execute(read(new)).df(), before)
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '_result_')").fetchall()
    assert len(tables) == sum(FIRST_VIEW.values())


@pytest.mark.parametrize(
    ("table", "recomputed"),
    [
        # Every load changes the row counts of data_bounds, which the KPIs read (cheaply: their parts are kept).
        ("ad_spend", {"acquisition/channel_totals", "overview/kpis", "overview/data_bounds"}),
        ("tickets", {"overview/kpis", "overview/data_bounds"}),
        (
            "nps",
            {
                "advocacy/nps_monthly",
                "advocacy/nps_summary",
                "investment/quadrant_summary",
                "investment/customer_looks",
                "investment/engagement",
                "overview/kpis",
                "overview/quadrant_counts",
                "overview/data_bounds",
            },
        ),
    ],
)
def test_a_load_recomputes_only_the_results_reading_its_table(demo, table, recomputed):
    con = demo.cursor()
    before = _index(con).set_index("table_name")
    load(demo, (SAMPLES_DIR / f"{table}.csv").read_bytes(), f"{table}.csv", kind=table)
    after = _index(con).set_index("table_name")
    assert after.groupby("name").size().to_dict() == FIRST_VIEW and _current(demo)
    assert set(after.index.difference(before.index).map(after["name"].get)) == recomputed
    for row in after.reset_index().itertuples():
        _same(con, row)


def test_sources_name_the_tables_behind_marts_and_used_queries():
    assert results.result_sources("advocacy/nps_monthly") == {"nps", "orders", "customers"}
    assert results.result_sources("investment/quadrant_summary") == {
        "orders", "customers", "interactions", "nps", "referrals"
    }  # fmt: skip
    assert results.result_sources("acquisition/conversion_by_month") == {"leads", "orders", "customers"}
    assert results.result_sources("overview/quadrant_counts") == results.result_sources("investment/quadrant_summary")


def test_an_edited_query_is_never_served_from_an_old_result(demo, monkeypatch):
    con = demo.cursor()
    key = _index(con).query("name == 'overview/period_kpis'")["key"].iloc[0]
    assert demo.results._find("overview/period_kpis", key)
    monkeypatch.setattr(results, "_hash", lambda name: "edited")
    assert demo.results._find("overview/period_kpis", key) is None


def test_empty_and_partial_workspaces(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    assert _index(ws.cursor()).empty
    prepared, _ = load(ws, (SAMPLES_DIR / "nps.csv").read_bytes(), "nps.csv", kind="nps")
    prepared.discard()
    # NPS alone: the KPIs, and the NPS results they read; nothing built on orders or leads.
    assert set(_index(ws.cursor())["name"]) == {
        "overview/kpis", "overview/quadrant_counts", "overview/data_bounds", "advocacy/nps_monthly",
        "advocacy/nps_summary", "investment/quadrant_summary", "investment/customer_looks",
        "investment/customer_spend", "investment/cross_buy", "investment/engagement",
    }  # fmt: skip
    ws.close()


def test_memory_keeps_results_within_its_budget_and_drops_stale_ones(demo, monkeypatch):
    store, con = demo.results, demo.cursor()
    params = {"start": date(2025, 11, 1), "end": date(2026, 10, 31)}
    first = store.table("concentration/customer_values", params)
    # Anything kept is over this budget, and nothing was used too recently to go; the newest result stays.
    monkeypatch.setattr(results, "MEMORY_BUDGET_MB", 0)
    monkeypatch.setattr(results, "_GRACE_S", -1.0)
    second = store.table("concentration/customer_values", {**params, "measure": "margin"})
    kept = {t for (t,) in con.execute("SELECT table_name FROM results_memory._results").fetchall()}
    assert second.split(".")[1] in kept and first.split(".")[1] not in kept
    # A load of what it reads makes it stale: the next computation drops it.
    load(demo, (SAMPLES_DIR / "orders.csv").read_bytes(), "orders.csv", kind="orders")
    monkeypatch.setattr(results, "MEMORY_BUDGET_MB", 1024)
    store.table("advocacy/nps_by_group", {**params, "group_by": "segment"})
    names = {n for (n,) in con.execute("SELECT name FROM results_memory._results").fetchall()}
    assert "concentration/customer_values" not in names


def test_the_overview_reads_the_stored_results(monkeypatch, demo):
    # Change the stored revenue: the page must show the stored figure, proof that it did not recompute.
    con = demo.cursor()
    table = _index(con).query("name == 'overview/kpis'")["table_name"].iloc[0]
    con.execute(f"UPDATE {table} SET value = 1234567 WHERE key = 'kpi_revenue'")
    path = demo.path
    demo.close()
    at = run_page(monkeypatch, path)
    assert {m.label: m.value for m in at.metric}["Revenue"] == fmt_money(1234567) == "¥1.2M"


def test_a_block_another_store_dropped_is_looked_up_again(demo):
    # The app's store remembers where it found the ranks; the benchmark's store computes them again (dropping
    # the table). The app's next query built on them still gets its answer.
    mine, other = demo.results, results.Results(demo)
    params = {"start": date(2025, 11, 1), "end": date(2026, 10, 31), "measure": "margin"}
    first = mine.table("concentration/customer_ranks", params)
    assert other.compute("concentration/customer_ranks", params) != first
    values = mine.frame("concentration/customer_values", params)
    pd.testing.assert_frame_equal(values, run_query(demo.cursor(), "concentration/customer_values", **params))


def test_a_models_hash_covers_its_whole_module():
    # The KPI specs and the projection's arithmetic live beside the functions: editing them must not let a
    # workspace file serve results the old code made.
    assert "WINDOW_DAYS = 90" in models.MODELS["overview/kpis"].code
    assert "class Projection" in models.MODELS["retention/projection"].code


def test_a_file_named_like_the_memory_catalog_keeps_its_own_results(tmp_path):
    ws = Workspace(tmp_path / f"{results.MEMORY}.duckdb")
    load(ws, (SAMPLES_DIR / "nps.csv").read_bytes(), "nps.csv", kind="nps")
    stored = set(_index(ws.cursor())["table_name"])
    assert ws.memory != ws.catalog and stored
    ws.results.frame("advocacy/nps_by_group", {"group_by": "touchpoint"})
    assert set(_index(ws.cursor())["table_name"]) == stored  # the page's result went to memory, not the file
    ws.close()


def test_a_store_over_budget_drops_only_its_own_results(demo, monkeypatch):
    monkeypatch.setattr(results, "MEMORY_BUDGET_MB", 0)
    monkeypatch.setattr(results, "_GRACE_S", -1.0)
    mine, other = demo.results, results.Results(demo)
    params = {"start": date(2025, 11, 1), "end": date(2026, 10, 31)}
    theirs = other.table("concentration/customer_values", {**params, "measure": "margin"})
    mine.table("concentration/customer_values", params)
    mine.table("concentration/pareto_curve", params)
    kept = {t for (t,) in demo.cursor().execute("SELECT table_name FROM results_memory._results").fetchall()}
    assert theirs.split(".")[1] in kept
