"""kill -9 at any moment of a load, a multi-file command or an undo leaves the workspace as before or as after."""

import signal
import subprocess
import sys
import time

import pytest

from dashboard.config import ROOT, SAMPLES_DIR
from dashboard.schema import TABLES
from dashboard.workspace import Workspace

FILES = [str(SAMPLES_DIR / f"{name}.csv") for name in ("orders", "customers", "leads")]


def state(path):
    ws = Workspace(path)
    try:
        cur = ws.cursor()
        tables = {t: cur.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {t}").fetchall() for t in TABLES}
        return tables, ws.version, len(ws.history())
    finally:
        ws.close()


def killed_after(args, seconds):
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("seconds", [0.8, 1.6, 2.4, 3.2, 4.5])
def test_a_killed_multi_file_load_leaves_before_or_after(tmp_path, seconds):
    ws_path = str(tmp_path / "w.duckdb")
    small = tmp_path / "orders.csv"
    small.write_text("customer_id,order_date,amount\nK1,2024-01-01,1\n")
    subprocess.run([sys.executable, "-m", "dashboard", "load", "orders", str(small), "--workspace", ws_path],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    before = state(ws_path)
    killed_after(["load", "auto", *FILES, "--replace", "--workspace", ws_path], seconds)
    now = state(ws_path)
    if now != before:
        # Finished before the kill: exactly what an uninterrupted run leaves.
        reference = str(tmp_path / "ref.duckdb")
        for args in (["orders", str(small)], ["auto", *FILES, "--replace"]):
            subprocess.run([sys.executable, "-m", "dashboard", "load", *args, "--workspace", reference],
                           cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        assert now[0] == state(reference)[0]
        assert now[1] == before[1] + 1


def test_a_killed_undo_leaves_before_or_after(tmp_path):
    ws_path = str(tmp_path / "w.duckdb")
    subprocess.run([sys.executable, "-m", "dashboard", "load", "auto", *FILES, "--workspace", ws_path],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    before = state(ws_path)
    code = f"from dashboard.workspace import Workspace\nWorkspace({ws_path!r}).undo_last('orders')\n"
    for seconds in (0.5, 1.0):
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
        time.sleep(seconds)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = state(ws_path)
        if now != before:
            # The whole command is undone: orders, customers and leads are empty again, nothing half-way.
            assert [now[0][t][0][0] for t in ("orders", "customers", "leads")] == [0, 0, 0]
            assert now[1] == before[1] + 1
            return
