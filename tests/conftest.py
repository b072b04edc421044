"""Shared fixtures: workspaces built in code, a helper to load text through the real ingest path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.i18n import set_language
from dashboard.ingest import commit, prepare
from dashboard.schema import TABLES
from dashboard.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def ws():
    """An empty in-memory workspace."""
    w = Workspace(":memory:")
    yield w
    w.close()


def load(ws, data, name="file.csv", kind=None, mode="replace", **kw):
    """Prepare and commit ``data`` (str is UTF-8 encoded) and return (prepared, history record)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    prepared = prepare(ws, data, name, kind=kind, **kw)
    return prepared, commit(ws, prepared, mode)


def insert(ws, table: str, rows: list[dict]) -> None:
    """Insert rows (dicts of field -> value) straight into a canonical table; missing fields are NULL."""
    cols = [f.name for f in TABLES[table].stored_fields]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    con = ws.cursor()
    con.register("_rows", df)
    casts = ", ".join(f"CAST({c} AS {TABLES[table].field(c).sql_type}) AS {c}" for c in cols)
    con.execute(f"INSERT INTO {table} SELECT {casts} FROM _rows")
    con.unregister("_rows")
    ws.refresh_marts()
    ws.set_state("version", str(ws.version + 1))
    ws.set_state(f"changed:{table}", str(ws.version))


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory) -> Path:
    """A workspace file built from data/samples through the real load path (built once per test session)."""
    from dashboard.demo import build_demo_workspace

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    w = Workspace(path)
    build_demo_workspace(w)
    w.close()
    return path


@pytest.fixture
def demo_copy(demo_workspace, tmp_path) -> Path:
    """A private copy of the demo workspace a test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, path)
    return path
