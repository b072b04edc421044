"""Investment map page: quadrant summary from the query, sliders move customers, every workspace state."""

import pytest

from dashboard.config import SAMPLES_DIR
from dashboard.ingest import commit, prepare
from dashboard.queries import QueryTimeout, run_query
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_weights_all_zero_on_an_axis_ask_for_a_weight_instead_of_drawing_nan(monkeypatch, workspaces, lang):
    zero = {"inv_w_engagement": 0.0, "inv_w_stage": 0.0}
    at = run_page(monkeypatch, workspaces["demo"], "investment", lang, state=zero)
    assert [w.value for w in at.warning] == [
        "Momentum has no look with a weight above zero, so no customer can be placed: raise the weight of "
        "Engagement or Lifecycle stage."
        if lang == "en"
        else "关系动能没有权重大于零的维度，无法定位客户：请调高互动度或生命周期阶段的权重。"
    ]
    assert not at.metric and not at.get("plotly_chart")
    at.slider(key="inv_w_stage").set_value(0.5).run()
    assert not at.warning and len(at.metric) == 4


def test_without_categories_a_zero_wallet_weight_leaves_value_potential_without_a_look(monkeypatch, tmp_path):
    # Orders loaded without their category column: the cross-buy look is absent, value potential is the wallet's.
    rows = (SAMPLES_DIR / "orders.csv").read_text(encoding="utf-8").splitlines()
    drop = rows[0].split(",").index('"品类"')
    export = tmp_path / "orders.csv"
    export.write_text("\n".join(",".join(r.split(",")[:drop] + r.split(",")[drop + 1 :]) for r in rows), "utf-8")
    ws = Workspace(tmp_path / "w.duckdb")
    prepared = prepare(ws, export, "orders.csv")
    commit(ws, prepared)
    prepared.discard()
    ws.close()
    at = run_page(monkeypatch, tmp_path / "w.duckdb", "investment", state={"inv_w_wallet": 0.0})
    assert [w.value for w in at.warning] == [
        "Value potential has no look with a weight above zero, so no customer can be placed: raise the weight of "
        "Share of wallet or Cross-buy."
    ]
    assert not at.metric


def test_a_query_past_its_time_limit_ends_the_page_with_a_message(monkeypatch, workspaces):
    from contextlib import contextmanager

    import dashboard.results

    real = dashboard.results.time_limit

    @contextmanager
    def limit(con, name, seconds):
        assert seconds == 60
        if name == "investment/map_points":
            raise QueryTimeout(name, seconds)
        with real(con, name, seconds):
            yield

    monkeypatch.setattr(dashboard.results, "time_limit", limit)
    at = run_page(monkeypatch, workspaces["demo"], "investment")
    assert [e.value for e in at.error] == [
        "This took longer than 60 seconds and was stopped. Choose a shorter period or fewer regions, segments or "
        "channels and try again; an administrator can raise the limit (CRI_QUERY_TIMEOUT)."
    ]
    assert len(at.metric) == 4 and not at.get("plotly_chart")  # the cards above it stay; nothing after it runs
