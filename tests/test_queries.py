"""The query runner's guards: parameter ranges on the command line, and the time limit of a statement."""

import subprocess
import sys
import threading
import time
from datetime import date

import duckdb
import pytest

from dashboard import queries
from dashboard.queries import QueryInfo, QueryTimeout, coerce_param, load_query, run_query
from dashboard.workspace import Workspace

CHURN = load_query("retention/monthly_churn")
SCORES = load_query("investment/customer_quadrants")


@pytest.mark.parametrize("text", ["2147483647", "-5", "6", "731", "abc", "90.5", ""])
def test_a_window_outside_its_range_is_refused_naming_the_range(text):
    if text == "":
        assert coerce_param(CHURN, "window_days", text) is None  # empty means NULL: the query's default
        return
    with pytest.raises(ValueError, match=r"^expected a whole number from 7 to 730$"):
        coerce_param(CHURN, "window_days", text)


def test_values_inside_the_ranges_pass_as_their_type():
    assert coerce_param(CHURN, "window_days", "7") == 7
    assert coerce_param(CHURN, "window_days", "730") == 730
    assert coerce_param(SCORES, "w_wallet", "0") == 0.0
    assert coerce_param(SCORES, "w_stage", "2.5") == 2.5
    assert coerce_param(SCORES, "x_split", "10") == 10.0
    assert coerce_param(SCORES, "f_dormant", "1") == 1.0
    assert coerce_param(SCORES, "limit", "1") == 1
    assert coerce_param(SCORES, "end", "2024-12-31") == date(2024, 12, 31)
    assert coerce_param(SCORES, "region", "East, North") == ["East", "North"]


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("w_wallet", "3.5", "expected a number from 0.0 to 3.0"),
        ("w_cross", "-1", "expected a number from 0.0 to 3.0"),
        ("w_cross", "nan", "expected a number from 0.0 to 3.0"),
        ("w_engagement", "inf", "expected a number from 0.0 to 3.0"),
        ("x_split", "95", "expected a number from 10 to 90"),
        ("f_new", "1.1", "expected a number from 0.0 to 1.0"),
        ("limit", "0", "expected a whole number from 1 to 10,000,000"),
        ("limit", "1e3", "expected a whole number from 1 to 10,000,000"),
    ],
)
def test_other_numbers_outside_their_ranges(key, text, message):
    with pytest.raises(ValueError) as err:
        coerce_param(SCORES, key, text)
    assert str(err.value) == message


def test_the_command_line_exits_2_with_one_line_naming_the_range(tmp_path):
    args = ["query", "retention/monthly_churn", "--param", "window_days=2147483647", "--workspace"]
    r = subprocess.run(
        [sys.executable, "-m", "dashboard", *args, str(tmp_path / "w.duckdb")], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert r.stderr.strip() == "Bad value for window_days: expected a whole number from 7 to 730"
    assert not (tmp_path / "w.duckdb").exists()  # refused before the workspace was opened


@pytest.fixture
def slow_query(monkeypatch):
    # A query file that runs for minutes: a cross join counted on DuckDB's own threads.
    sql = "-- slow: counts for minutes\nselect count(*) as n from range(100000) a, range(100000) b where a < b"
    info = QueryInfo("test/slow", "counts for minutes", "one row", {}, {"n": "BIGINT"}, sql, text=sql)
    real = queries.load_query
    monkeypatch.setattr(queries, "load_query", lambda name: info if name == "test/slow" else real(name))


def test_a_statement_past_its_time_limit_is_interrupted(slow_query):
    con = duckdb.connect()
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as err:
        run_query(con, "test/slow", timeout=0.3)
    assert time.monotonic() - started < 5
    assert (err.value.name, err.value.seconds) == ("test/slow", 0.3)
    assert isinstance(err.value.__cause__, duckdb.InterruptException)
    # The connection is usable at once, and a later statement is not hit by the old interrupt.
    assert con.execute("SELECT 42").fetchone() == (42,)
    with pytest.raises(QueryTimeout):
        run_query(con, "test/slow", as_arrow=True, timeout=0.3)


def test_a_statement_within_its_limit_leaves_no_timer_behind():
    con = Workspace(":memory:").cursor()
    before = threading.active_count()
    df = run_query(con, "scope/as_of", timeout=30, end=date(2024, 12, 31))
    assert df.columns.tolist() == list(load_query("scope/as_of").columns)
    deadline = time.monotonic() + 2
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)  # the cancelled timer's thread wakes up and ends
    assert threading.active_count() == before
    assert con.execute("SELECT 1").fetchone() == (1,)


def test_an_interrupt_not_from_the_timer_is_not_a_timeout(slow_query):
    con = duckdb.connect()
    threading.Timer(0.3, con.interrupt).start()
    with pytest.raises(duckdb.InterruptException):
        run_query(con, "test/slow", timeout=60)
