"""Every query file's header matches its body ($ parameters) and its result (column names and types)."""

import re
from datetime import date

import pytest

from dashboard.queries import bind, list_queries, load_query
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
