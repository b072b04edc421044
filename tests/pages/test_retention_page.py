"""Retention page: churn figures from the queries, W changes them, the dormant list and projection."""

import pytest

from dashboard.filters import default_period
from dashboard.i18n import fmt_date, fmt_pct
from dashboard.queries import run_query
from dashboard.retention import Projection
from dashboard.workspace import Workspace
from tests.pages.conftest import run_page


def churn_rate(monthly):
    # Written out here, independently of the query that the page reads (retention/churn_rate).
    full = monthly[~monthly["is_partial"]]
    return full["churned"].sum() / full["active_start"].sum()


def expected(path, window):
    ws = Workspace(path)
    start, end = default_period(ws.cursor())
    monthly = run_query(ws.cursor(), "retention/monthly_churn", start=start, end=end, window_days=window)
    dormant = run_query(ws.cursor(), "retention/dormant_customers", end=end, window_days=window)
    base = run_query(ws.cursor(), "retention/active_base", end=end, window_days=window).iloc[0]
    ws.close()
    return monthly, dormant, base


@pytest.mark.parametrize("window", [90, 60])
def test_churn_dormant_and_projection(monkeypatch, workspaces, window):
    at = run_page(monkeypatch, workspaces["demo"], "retention", state={"ret_window": window})
    monthly, dormant, base = expected(workspaces["demo"], window)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Average monthly churn"] == fmt_pct(churn_rate(monthly))
    assert metrics["Churned"] == f"{monthly['churned'].sum():,}"
    table = at.dataframe[0].value
    assert table["customer_id"].tolist() == dormant["customer_id"].head(500).tolist()
    text = " ".join(m.value for m in at.markdown)
    lost = Projection(int(base.active_customers), churn_rate(monthly), float(base.revenue_per_active)).lost
    assert f"about **{lost:,.0f} customers**" in text
    # The projection names its day and window: the KPI card above counts another day (the last month's start).
    assert f"On **{fmt_date(base.as_of)}**, the last order day of the period, **{base.active_customers:,}**" in text
    assert f"(an order in the {window} days up to it)" in text


def test_window_changes_the_numbers(monkeypatch, workspaces):
    a = {m.label: m.value for m in run_page(monkeypatch, workspaces["demo"], "retention").metric}
    b = {
        m.label: m.value
        for m in run_page(monkeypatch, workspaces["demo"], "retention", state={"ret_window": 30}).metric
    }
    assert a["Average monthly churn"] != b["Average monthly churn"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_partial_and_empty(monkeypatch, workspaces, lang):
    at = run_page(monkeypatch, workspaces["partial"], "retention", lang)
    assert at.metric  # orders alone are enough; churn by segment asks for customers
    assert any(("customers" in i.value) or ("客户" in i.value) for i in at.info)
    at = run_page(monkeypatch, workspaces["empty"], "retention", lang)
    assert not at.metric and at.info
