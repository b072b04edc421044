"""Page tests run the real app with AppTest against workspaces in three states: demo, empty and partial."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import SAMPLES_DIR
from dashboard.ingest import commit, prepare
from dashboard.workspace import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="session")
def empty_workspace(tmp_path_factory) -> Path:
    """A workspace that exists but holds no data (the user chose to start with their own data)."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    Workspace(path).close()
    return path


@pytest.fixture(scope="session")
def orders_only_workspace(tmp_path_factory) -> Path:
    """A workspace with only the orders export loaded: every other table is missing."""
    path = tmp_path_factory.mktemp("partial") / "partial.duckdb"
    ws = Workspace(path)
    prepared = prepare(ws, SAMPLES_DIR / "orders.csv", "orders.csv")
    commit(ws, prepared)
    prepared.discard()
    ws.close()
    return path


@pytest.fixture
def workspaces(demo_workspace, empty_workspace, orders_only_workspace, tmp_path):
    """The three states by name; the demo copy is private to the test so it may change it."""
    demo = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, demo)
    return {"demo": demo, "empty": empty_workspace, "partial": orders_only_workspace}


def run_page(monkeypatch, workspace: Path, page: str = "overview", lang: str = "en", state: dict | None = None):
    """Run the app on ``workspace`` in ``lang``, open ``page`` and return the AppTest after the run."""
    monkeypatch.setenv("CRI_WORKSPACE", str(workspace))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def without(path: Path, *tables: str) -> Path:
    """Empty ``tables`` in the workspace at ``path`` (a load of nothing, as the Data page would record it)."""
    ws = Workspace(path)
    ws.clear(list(tables))
    ws.close()
    return path
