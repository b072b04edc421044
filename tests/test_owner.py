"""The app and the command line on one workspace (issue 21 item 10): requests go to the owner, others wait."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

from dashboard import cli, owner
from dashboard.config import ROOT
from dashboard.workspace import Workspace

ORDERS = "order_id,customer_id,order_date,amount\nA1,C1,2024-01-05,10.50\nA2,C2,2024-01-06,20.00\n"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def hold(path, seconds):
    """Another process holding the workspace for ``seconds`` (as a long command-line load does)."""
    code = (
        "import sys, time\nfrom dashboard.workspace import Workspace\n"
        f"w = Workspace({str(path)!r})\nprint('open', flush=True)\ntime.sleep({seconds})\nw.close()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def empty_workspace_and_orders(tmp_path):
    """An empty workspace file and an orders export of two rows beside it."""
    ws_path, csv = tmp_path / "w.duckdb", tmp_path / "o.csv"
    Workspace(ws_path).close()
    csv.write_text(ORDERS)
    return ws_path, csv


def test_a_load_waits_for_another_process_saying_which_then_completes(tmp_path, capsys):
    ws_path, csv = empty_workspace_and_orders(tmp_path)
    holder = hold(ws_path, 3)
    try:
        assert cli.main(["load", "orders", str(csv), "--workspace", str(ws_path)]) == 0
    finally:
        holder.wait()
    assert f"in use by process {holder.pid}" in capsys.readouterr().err
    ws = Workspace(ws_path)
    assert ws.row_counts()["orders"] == 2
    ws.close()


def test_waiting_gives_up_after_wait_seconds_and_changes_nothing(tmp_path, capsys):
    ws_path, csv = empty_workspace_and_orders(tmp_path)
    holder = hold(ws_path, 6)
    try:
        assert cli.main(["load", "orders", str(csv), "--workspace", str(ws_path), "--wait", "1"]) == 3
        assert "Gave up" in capsys.readouterr().err
    finally:
        holder.wait()
    ws = Workspace(ws_path)
    assert ws.row_counts()["orders"] == 0 and ws.history().empty
    ws.close()


def test_the_owner_runs_loads_and_queries_of_the_command_line(tmp_path):
    ws_path, csv = tmp_path / "w.duckdb", tmp_path / "o.csv"
    csv.write_text(ORDERS)
    ws = Workspace(ws_path)
    server = owner.serve(ws_path, lambda argv: cli.run_for_owner(ws, argv))
    try:
        # A relative path is the command line's, not the owner's working directory.
        r = subprocess.run(
            [sys.executable, "-m", "dashboard", "load", "orders", csv.name, "--workspace", str(ws_path)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            env={"PYTHONPATH": str(ROOT)},
        )
        assert r.returncode == 0, r.stderr
        assert "orders now has 2 rows" in r.stdout
        # The owner's own connection sees the rows at once (the app's caches key on its version).
        assert ws.row_counts()["orders"] == 2
        r = run("query", "overview/data_bounds", "--workspace", str(ws_path), "--format", "json")
        assert r.returncode == 0, r.stderr
        bounds = {row["table_name"]: row for row in json.loads(r.stdout)}
        assert bounds["orders"]["row_count"] == 2
        r = run("query", "retention/monthly_churn", "--param", "window_days=-5", "--workspace", str(ws_path))
        assert r.returncode == 2 and "window_days" in r.stderr
    finally:
        server.shutdown()
        ws.close()


def test_a_request_without_the_token_runs_nothing(tmp_path):
    ws_path = tmp_path / "w.duckdb"
    ws = Workspace(ws_path)
    calls = []
    server = owner.serve(ws_path, lambda argv: calls.append(argv) or (0, "", ""))
    try:
        ticket = json.loads(owner.ticket_path(ws_path).read_text())
        assert oct(owner.ticket_path(ws_path).stat().st_mode & 0o777) == "0o600"
        request = urllib.request.Request(
            f"http://127.0.0.1:{ticket['port']}/run", data=b'{"argv": ["load"]}', headers={"Authorization": "x"}
        )
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
        assert calls == []
    finally:
        server.shutdown()
        ws.close()


def test_a_forwarded_load_goes_to_the_workspace_named_however_it_is_spelled(tmp_path):
    ws_path = tmp_path / "ws.duckdb"
    (tmp_path / "orders").write_text(ORDERS)  # a file named like a kind
    ws = Workspace(ws_path)
    server = owner.serve(ws_path, lambda argv: cli.run_for_owner(ws, argv))
    try:
        r = subprocess.run(
            [sys.executable, "-m", "dashboard", "load", "orders", "orders", "--workspace=ws.duckdb"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert ws.row_counts()["orders"] == 2
        # Abbreviated options are refused rather than read two ways.
        r = run("load", "orders", str(tmp_path / "orders"), "--work", str(ws_path))
        assert r.returncode == 2
    finally:
        server.shutdown()
        ws.close()


def test_the_owner_runs_only_load_and_query_and_its_ticket_is_private(tmp_path):
    ws_path = tmp_path / "ws.duckdb"
    owner.ticket_path(ws_path).write_text("{}")
    owner.ticket_path(ws_path).chmod(0o644)  # left by a killed app, readable by others
    ws = Workspace(ws_path)
    server = owner.serve(ws_path, lambda argv: cli.run_for_owner(ws, argv))
    try:
        assert oct(owner.ticket_path(ws_path).stat().st_mode & 0o777) == "0o600"
        code, out, err = cli.run_for_owner(ws, ["demo", "--out", str(tmp_path / "demo")])
        assert code == 2 and "only load and query" in err and not (tmp_path / "demo").exists()
    finally:
        server.shutdown()
        ws.close()


def test_data_cannot_drive_the_terminal():
    import io

    screen = io.StringIO()
    cli._Printable(screen).write("Evil\x1b[2J\x1b]0;owned\x07 name\t\u202eok\n")
    assert screen.getvalue() == "Evil\\x1b[2J\\x1b]0;owned\\x07 name\t\\u202eok\n"


def test_a_request_that_fails_is_answered_not_dropped():
    # A dropped connection would make the command line wait and send it again for up to --wait seconds.
    from dashboard.owner import run_captured

    def boom():
        raise RuntimeError("stopped after 60 s\nsecond line")

    code, out, err = run_captured(boom)
    assert code == 1 and out == "" and err.strip() == "The request failed: stopped after 60 s"


def test_a_query_past_its_time_limit_exits_1_with_a_message(tmp_path, monkeypatch, capsys):
    from contextlib import contextmanager

    from dashboard import cli, results
    from dashboard.queries import QueryTimeout

    @contextmanager
    def limit(con, name, seconds):
        raise QueryTimeout(name, 60)
        yield

    monkeypatch.setattr(results, "time_limit", limit)
    assert cli.main(["query", "advocacy/nps_monthly", "--workspace", str(tmp_path / "w.duckdb")]) == 1
    assert "advocacy/nps_monthly: stopped after 60 s" in capsys.readouterr().err
