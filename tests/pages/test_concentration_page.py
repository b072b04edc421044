"""Concentration and customer profile pages: figures from the queries, margin switch, lists open profiles."""

import pytest

from dashboard.filters import default_period
from dashboard.i18n import fmt_pct
from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.pages.conftest import run_page


def summary(path, measure):
    ws = Workspace(path)
    start, end = default_period(ws.cursor())
    row = run_query(ws.cursor(), "concentration/pareto_summary", start=start, end=end, measure=measure).iloc[0]
    ws.close()
    return row


@pytest.mark.parametrize("measure", ["revenue", "margin"])
def test_kpis_match_the_query(monkeypatch, workspaces, measure):
    at = run_page(monkeypatch, workspaces["demo"], "concentration", state={"con_measure": measure})
    row = summary(workspaces["demo"], measure)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Top-20% share"] == fmt_pct(row.top20_share)
    assert metrics["Customers for 80%"] == f"{int(row.customers_for_80pct):,}"
    assert metrics["Gini"] == f"{row.gini:,.3f}"
    tiers = at.dataframe[0].value
    assert tiers["customers"][tiers["tier"] == "A"].item() == row.customers_for_80pct


def test_unprofitable_list_and_sentence(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "concentration")
    assert any("unprofitable customers give back" in m.value for m in at.markdown)
    loss = at.dataframe[1].value
    assert (loss["margin"] < 0).all() and len(loss) > 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_and_partial(monkeypatch, workspaces, lang):
    assert run_page(monkeypatch, workspaces["empty"], "concentration", lang).info
    at = run_page(monkeypatch, workspaces["partial"], "concentration", lang)
    assert len(at.metric) == 4


def test_profile_shows_the_lifetime_record(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "customer", state={"profile_id": "C0000001"})
    ws = Workspace(workspaces["demo"])
    lifetime = ws.cursor().execute("SELECT sum(amount), count(*) FROM orders WHERE customer_id = 'C0000001'").fetchone()
    events = sum(
        ws.cursor().execute(f"SELECT count(*) FROM {tb} WHERE customer_id = 'C0000001'").fetchone()[0]
        for tb in ("orders", "leads", "interactions", "nps", "tickets")
    )
    events += ws.cursor().execute("SELECT count(*) FROM referrals WHERE referrer_id = 'C0000001'").fetchone()[0]
    ws.close()
    from dashboard.i18n import fmt_money, set_language

    set_language("en")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lifetime revenue"] == fmt_money(lifetime[0])
    assert metrics["Orders"] == f"{lifetime[1]:,}"
    assert metrics["Tier"] in ("A", "B", "C") and metrics["Stage"] != "–"
    timeline = at.dataframe[0].value
    assert len(timeline) == events
    assert timeline["occurred_at"].is_monotonic_decreasing


def test_profile_search_and_unknown(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "customer", state={"profile_q": "C000000"})
    assert at.selectbox(key="profile_pick").value.startswith("C000000")
    at = run_page(monkeypatch, workspaces["demo"], "customer", state={"profile_id": "NOPE"})
    assert "no customer NOPE" in at.warning[0].value
    at = run_page(monkeypatch, workspaces["empty"], "customer", "zh")
    assert at.info
