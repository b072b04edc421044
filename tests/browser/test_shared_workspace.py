"""The app and the command line on one workspace, in a real browser (issue 21 item 10)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.config import ROOT
from dashboard.i18n import fmt_money, set_language
from dashboard.workspace import Workspace
from tests.browser.server import CHROMIUM, browser_page, running_app, wait_for_app
from tests.test_owner import hold

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (see .ci/run)")

ORDERS = "order_id,customer_id,order_date,amount\nA1,C1,2026-01-05,1000.00\nA2,C2,2026-02-06,234.50\n"


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def revenue(page) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text="Revenue").first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_a_command_line_load_while_the_app_runs_shows_in_the_app(tmp_path):
    ws_path, csv = tmp_path / "ws.duckdb", tmp_path / "orders.csv"
    Workspace(ws_path).close()
    csv.write_text(ORDERS)
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(url)
        expect(page.get_by_text("The workspace is empty")).to_be_visible(timeout=60_000)
        r = cli("query", "overview/data_bounds", "--workspace", str(ws_path), "--format", "csv")
        assert r.returncode == 0 and "orders,0" in r.stdout, r.stderr
        r = cli("load", "orders", str(csv), "--workspace", str(ws_path))
        assert r.returncode == 0, r.stderr
        assert "orders now has 2 rows" in r.stdout
        page.reload()
        wait_for_app(page)
        set_language("en")
        assert revenue(page) == fmt_money(1000.00)  # February 2026 is not a full month yet
        assert "Exception" not in page.content()


def test_the_app_waits_for_a_command_line_load_then_shows_its_data(tmp_path):
    ws_path = tmp_path / "ws.duckdb"
    ws = Workspace(ws_path)
    ws.close()
    csv = tmp_path / "orders.csv"
    csv.write_text(ORDERS)
    assert cli("load", "orders", str(csv), "--workspace", str(ws_path)).returncode == 0
    holder = hold(ws_path, 12)
    try:
        with running_app(ws_path) as url, browser_page() as page:
            page.goto(url)
            expect(page.get_by_text("is writing the workspace")).to_be_visible(timeout=30_000)
            assert f"process {holder.pid}" in page.inner_text("body")
            assert "IOException" not in page.content()
            holder.wait()
            expect(page.locator("h1").first).to_have_text("Overview", timeout=60_000)
            wait_for_app(page)
            set_language("en")
            assert revenue(page) == fmt_money(1000.00)  # February 2026 is not a full month yet
    finally:
        holder.wait()
