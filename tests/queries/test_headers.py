"""Every query file's header matches its body ($ parameters) and its result (column names and types)."""

import re
from datetime import date

import pytest

from dashboard.queries import (
    NUMERIC_TYPES,
    PARAM_RANGES,
    bind,
    composed_sql,
    list_queries,
    load_query,
    run_query,
)
from dashboard.workspace import Workspace

PARAMS = {
    "start": date(2025, 11, 1),
    "end": date(2026, 10, 31),
    "window_days": 90,
    "measure": "revenue",
    "region": None,
    "segment": None,
    "channel": None,
}


@pytest.fixture(scope="module")
def con(demo_workspace):
    ws = Workspace(demo_workspace)
    yield ws.cursor()
    ws.close()


def test_there_are_queries():
    assert len(list_queries()) >= 10


@pytest.mark.parametrize("name", list_queries())
def test_header_is_complete(name):
    info = load_query(name)
    assert info.purpose, "first line: '-- name: purpose'"
    assert info.sql.splitlines()[0].startswith(f"-- {name.split('/')[-1]}:")
    assert info.grain, "a '-- grain:' line"
    assert info.columns, "a '-- columns:' line"
    assert "-- params:" in info.sql


@pytest.mark.parametrize("name", list_queries())
def test_declared_params_are_the_used_params(name):
    info = load_query(name)
    body = "\n".join(ln for ln in info.sql.splitlines() if not ln.startswith("--"))
    used = set(re.findall(r"\$(\w+)", body))
    assert used == set(info.params)


def test_every_numeric_parameter_has_a_range():
    # The command line refuses values outside these ranges and the pages build their widgets from them.
    from dashboard.models import MODELS
    from dashboard.results import definition

    numeric = {
        key
        for name in [*list_queries(), *MODELS]
        for key, sql_type in definition(name).params.items()
        if sql_type in NUMERIC_TYPES or sql_type.startswith("DECIMAL")
    }
    assert numeric == set(PARAM_RANGES)
    assert all(low < high for low, high in PARAM_RANGES.values())


@pytest.mark.parametrize("name", list_queries())
def test_declared_columns_are_the_result_columns(con, name):
    info = load_query(name)
    cursor = con.execute(info.sql, bind(info, PARAMS))
    got = {d[0]: str(d[1]) for d in cursor.description}
    assert got == info.columns
    assert cursor.fetchall() is not None


@pytest.mark.parametrize("name", list_queries())
def test_queries_run_on_an_empty_workspace(name):
    ws = Workspace(":memory:")
    info = load_query(name)
    ws.cursor().execute(info.sql, bind(info, PARAMS)).fetchall()
    ws.close()


def test_the_store_computes_the_whole_result_and_reads_kept_blocks(tmp_path, demo_workspace):
    # customer_scores over a kept customer_looks cut to two rows: the count is of the kept rows, not the
    # workspace's customers, so the block was read instead of computed again.
    import shutil

    shutil.copy(demo_workspace, tmp_path / "w.duckdb")
    ws = Workspace(tmp_path / "w.duckdb")
    store, con = ws.results, ws.results.cursor()
    looks = store.table("investment/customer_looks", PARAMS)
    con.execute(f"DELETE FROM {looks} WHERE ck NOT IN (SELECT ck FROM {looks} ORDER BY ck LIMIT 2)")
    counted = con.execute(f"SELECT count(*) FROM {store.compute('investment/customer_scores', PARAMS)}").fetchall()
    assert counted == [(2,)]
    full = con.execute(f"SELECT count(*) FROM {store.compute('investment/customer_scores', PARAMS, inline=True)}")
    assert full.fetchall()[0][0] == len(run_query(con, "investment/customer_scores", **PARAMS)) > 2
    ws.close()


def test_a_statement_computes_each_shared_block_once():
    # customer_spend is read by cross_buy, engagement and customer_looks itself: one materialized CTE, at the top.
    sql = load_query("investment/customer_looks").sql
    assert sql.count("customer_spend as materialized (") == 1
    assert sql.count("customer_spend as (") == 0
    assert sql.index("customer_spend as materialized (") < sql.index("cross_buy as materialized (")
    # A block read through a provided one is not computed at all; the other blocks stay nested in their readers.
    provided = composed_sql("investment/customer_scores", frozenset({"investment/customer_looks"}))
    assert "customer_spend" not in provided and "materialized" not in provided
    engagement = load_query("investment/engagement").sql
    assert "as_of as (" in engagement and "as_of as materialized" not in engagement
