"""Data page: workspace counts, load history and undo, in both languages and every workspace state."""

import pytest

from dashboard.config import SAMPLES_DIR
from dashboard.workspace import Workspace
from tests.conftest import load
from tests.pages.conftest import run_page


@pytest.mark.parametrize("state", ["demo", "empty", "partial"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_data_page_renders(monkeypatch, workspaces, state, lang):
    at = run_page(monkeypatch, workspaces[state], "data", lang)
    assert at.title[0].value == ("Data" if lang == "en" else "数据管理")
    counts = {m.label.rstrip(" *"): m.value for m in at.metric}
    sample_rows = sum(1 for _ in open(SAMPLES_DIR / "orders.csv", encoding="utf-8")) - 1
    expected_orders = {"demo": f"{sample_rows:,}", "empty": "0", "partial": f"{sample_rows:,}"}[state]
    assert counts["orders" if lang == "en" else "订单"] == expected_orders


def _undo_choice(at):
    return next(s for s in at.selectbox if s.label == "Undo the last load of")


def _pick(at, table: str) -> None:
    """Choose the undo step whose option starts with ``table``'s label."""
    choice = _undo_choice(at)
    choice.select_index(next(i for i, o in enumerate(choice.options) if o.startswith(f"{table}:")))


def _picked(at) -> str:
    """The option shown for the chosen undo step."""
    choice = _undo_choice(at)
    return choice.options[choice.index]


def test_undo_from_the_page_restores_the_previous_table(monkeypatch, workspaces):
    path = workspaces["demo"]
    at = run_page(monkeypatch, path, "data")
    _pick(at, "orders")
    at.button(key="undo_button").click()
    at.run()
    assert not at.exception
    ws = Workspace(path)
    # The demo load replaced an empty table: undoing it empties orders and nothing else.
    counts = ws.row_counts()
    assert counts["orders"] == 0 and counts["customers"] == 2000
    ws.close()


def test_start_with_own_data_empties_the_workspace(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "overview")
    [b for b in at.button if b.key == "demo_start_own"][0].click()
    at.run()
    ws = Workspace(workspaces["demo"])
    assert sum(ws.row_counts().values()) == 0 and not ws.is_demo
    ws.close()


def test_the_undo_choice_follows_the_newest_load(monkeypatch, workspaces):
    path = workspaces["demo"]
    at = run_page(monkeypatch, path, "data")
    assert _picked(at).startswith("tickets:")  # the demo's last load
    _pick(at, "customers")
    at.run()
    assert _picked(at).startswith("customers:")
    # Another load (here from outside the page, as the command line would): it is the one offered now.
    ws = Workspace(path)
    load(ws, "customer_id,order_date,amount\nC0001,2026-01-05,10\n", "orders.csv")
    ws.close()
    at.run()
    assert not at.exception and _picked(at).startswith("orders:")


def test_a_command_of_several_files_is_one_undo_step_on_the_page(monkeypatch, tmp_path):
    from dashboard.cli import main

    path = tmp_path / "own.duckdb"
    Workspace(path).close()
    orders, customers = tmp_path / "orders.csv", tmp_path / "customers.csv"
    orders.write_text("customer_id,order_date,amount\nC1,2026-01-05,10\n")
    customers.write_text("customer_id,name\nC1,Ann\nC2,Bo\n")
    assert main(["load", "auto", str(orders), str(customers), "--workspace", str(path)]) == 0
    at = run_page(monkeypatch, path, "data")
    assert _picked(at) == _undo_choice(at).options[0]
    assert "orders: orders.csv" in _picked(at) and "customers: customers.csv" in _picked(at)
    at.button(key="undo_button").click()
    at.run()
    assert not at.exception
    ws = Workspace(path)
    assert ws.row_counts()["orders"] == 0 and ws.row_counts()["customers"] == 0
    ws.close()
