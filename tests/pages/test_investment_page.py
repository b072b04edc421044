"""Investment map page: quadrant summary from the query, sliders move customers, every workspace state."""

import pytest

from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.pages.conftest import run_page


def counts(at):
    return [int(m.value.replace(",", "")) for m in at.metric]


def test_summary_matches_the_query_and_a_slider_moves_customers(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "investment")
    ws = Workspace(workspaces["demo"])
    from dashboard.filters import default_period

    start, end = default_period(ws.cursor())
    expected = run_query(ws.cursor(), "investment/quadrant_summary", start=start, end=end)["customers"].tolist()
    total_customers = (
        ws.cursor()
        .execute("SELECT count(DISTINCT customer_id) FROM orders WHERE order_date <= $e", {"e": end})
        .fetchone()[0]
    )
    ws.close()
    assert counts(at) == expected and sum(expected) == total_customers
    at.slider(key="inv_x_split").set_value(80).run()
    assert not at.exception
    moved = counts(at)
    assert sum(moved) == sum(expected)
    assert moved[0] < expected[0] and moved[3] > expected[3]  # fewer growth stocks, more low-efficiency assets


def test_explanation_for_one_customer(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "investment", state={"inv_customer": "C0000001"})
    text = " ".join(m.value for m in at.markdown)
    assert "Share of wallet" in text and "Lifecycle stage" in text and "score" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_and_partial(monkeypatch, workspaces, lang):
    at = run_page(monkeypatch, workspaces["empty"], "investment", lang)
    assert at.info and not at.metric
    at = run_page(monkeypatch, workspaces["partial"], "investment", lang)
    assert sum(counts(at)) > 0
    caption = " ".join(c.value for c in at.caption)
    assert ("Cross-buy, Engagement" if lang == "en" else "交叉购买, 互动度") in caption  # the orders carry categories
