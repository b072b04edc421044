"""The workspace database: SQL run on it reaches nothing outside it, and its configuration cannot be changed."""

import duckdb
import pyarrow as pa
import pytest

from dashboard import queries
from dashboard.queries import QueryInfo, run_query
from dashboard.workspace import Workspace

ESCAPES = {
    "read_file": "select * from read_csv('/etc/passwd')",
    "write_file": "copy (select 1 as x) to '{tmp}/out.csv'",
    "attach": "attach '{tmp}/other.duckdb' as other",
    "extension": "install httpfs",
    "glob": "select * from glob('/etc/*')",
}


@pytest.fixture
def ws(tmp_path):
    w = Workspace(tmp_path / "w.duckdb")
    yield w
    w.close()


@pytest.mark.parametrize("name", list(ESCAPES))
def test_a_query_file_cannot_reach_outside_the_workspace(ws, tmp_path, monkeypatch, name):
    sql = f"-- {name}: tries to leave the workspace\n" + ESCAPES[name].format(tmp=tmp_path)
    info = QueryInfo(f"test/{name}", "tries to leave", "-", {}, {}, sql, text=sql)
    real = queries.load_query
    monkeypatch.setattr(queries, "load_query", lambda n: info if n == info.name else real(n))
    with pytest.raises(duckdb.PermissionException, match="disabled by configuration"):
        run_query(ws.cursor(), info.name)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "SET memory_limit = '100GB'",
        "SET allowed_configs = ['enable_external_access']",
        "SET threads = 1",
    ],
)
def test_the_configuration_is_locked(ws, statement):
    with pytest.raises(duckdb.Error):
        ws.cursor().execute(statement)
    settings = ws.cursor().execute(
        "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')"
    )
    assert settings.fetchone() == (False, True)


def test_what_the_app_needs_still_works(ws):
    # Uploads are Arrow tables registered on a cursor, the marts relax row order while they rebuild, and the
    # memory limit of config.MEMORY_LIMIT (2 GB: DuckDB shows 1.8 GiB) holds.
    cur = ws.cursor()
    cur.register("upload", pa.table({"customer_id": ["C1", "C2"], "amount": ["1.50", "2"]}))
    assert cur.execute("SELECT sum(amount::DECIMAL(18, 2)) FROM upload").fetchone()[0] == pytest.approx(3.5)
    ws.refresh_marts()
    assert cur.execute("SELECT current_setting('memory_limit')").fetchone() == ("1.8 GiB",)


def test_a_second_workspace_of_the_same_file_shares_the_locked_configuration(ws):
    again = Workspace(ws.path)
    assert again.cursor().execute("SELECT current_setting('lock_configuration')").fetchone() == (True,)
    assert again.version == ws.version
    again.close()


def test_clearing_no_table_clears_nothing(tmp_path):
    from dashboard.config import SAMPLES_DIR
    from tests.conftest import load

    ws = Workspace(tmp_path / "w.duckdb")
    load(ws, (SAMPLES_DIR / "nps.csv").read_bytes(), "nps.csv", kind="nps")
    ws.clear([])
    assert ws.row_counts()["nps"] > 0
    ws.clear()
    assert ws.row_counts()["nps"] == 0
    ws.close()
