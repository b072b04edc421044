"""Advocacy page: NPS and referral figures from the queries; with and without tickets and referrals."""

import pytest

from dashboard.filters import default_period
from dashboard.i18n import fmt_number, fmt_pct
from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.pages.conftest import run_page, without


def nps_score(monthly):
    # Written out here, independently of the query that the page reads (advocacy/nps_summary).
    n = monthly["responses"].sum()
    return 100 * (monthly["promoters"].sum() - monthly["detractors"].sum()) / n


def expected(path):
    ws = Workspace(path)
    start, end = default_period(ws.cursor())
    nps = run_query(ws.cursor(), "advocacy/nps_monthly", start=start, end=end)
    rec = run_query(ws.cursor(), "advocacy/complaint_recovery", start=start, end=end).set_index("outcome")
    det = run_query(ws.cursor(), "advocacy/detractor_followup", end=end)
    ws.close()
    return nps, rec, det


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo(monkeypatch, workspaces, lang):
    at = run_page(monkeypatch, workspaces["demo"], "advocacy", lang)
    nps, rec, det = expected(workspaces["demo"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["NPS"] == fmt_number(nps_score(nps), 1)
    resolved_label = "Reorder in 90 days, resolved" if lang == "en" else "已解决：90 天复购"
    assert metrics[resolved_label] == fmt_pct(rec.repurchase_rate["resolved"])
    assert at.dataframe[-1].value["customer_id"].tolist() == det["customer_id"].head(500).tolist()


def test_without_tickets_and_referrals(monkeypatch, workspaces):
    path = without(workspaces["demo"], "tickets", "referrals")
    at = run_page(monkeypatch, path, "advocacy")
    infos = " ".join(i.value for i in at.info)
    assert "Upload referrals" in infos and "Upload tickets" in infos
    assert {m.label for m in at.metric} >= {"NPS", "Answers"}


def test_empty(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["empty"], "advocacy")
    assert len(at.info) == 3 and not at.metric
