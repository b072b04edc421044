"""Acquisition page: the channel table from the query, with and without ad spend, in both languages."""

import pytest

from dashboard.filters import default_period
from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.pages.conftest import run_page, without


def channel_table(path):
    ws = Workspace(path)
    start, end = default_period(ws.cursor())
    df = run_query(ws.cursor(), "acquisition/channel_conversion", start=start, end=end)
    ws.close()
    return df


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_with_ad_spend(monkeypatch, workspaces, lang):
    at = run_page(monkeypatch, workspaces["demo"], "acquisition", lang)
    expected = channel_table(workspaces["demo"])
    table = at.dataframe[0].value
    assert table["channel"].tolist() == expected.sort_values("leads", ascending=False)["channel"].tolist()
    assert table["leads"].sum() == expected["leads"].sum()
    assert "spend" in table.columns and "roi" in table.columns
    # A channel without spend (Referral in the demo) has no CPL or ROI: every table shows such cells as a dash.
    assert table["spend"].isna().any()
    assert all(df.proto.placeholder == "–" for df in at.dataframe)
    metrics = {m.label: m.value for m in at.metric}
    leads_label = "Leads" if lang == "en" else "线索数"
    assert metrics[leads_label] == f"{expected['leads'].sum():,}"
    markdown = " ".join(m.value for m in at.markdown)
    above = expected.loc[expected["significance"] == "above", "channel"].tolist()
    assert all(ch in markdown for ch in above)


def test_without_ad_spend_the_cost_columns_say_what_to_upload(monkeypatch, workspaces):
    path = without(workspaces["demo"], "ad_spend")
    at = run_page(monkeypatch, path, "acquisition")
    table = at.dataframe[0].value
    assert "spend" not in table.columns and "cpa" not in table.columns
    assert any("Upload ad spend" in i.value for i in at.info)


def test_sorting_by_conversion(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], "acquisition", state={"acq_sort": "conversion_rate"})
    rates = at.dataframe[0].value["conversion_rate"].tolist()
    assert rates == sorted(rates, reverse=True)


@pytest.mark.parametrize("state", ["empty", "partial"])
def test_without_leads(monkeypatch, workspaces, state):
    at = run_page(monkeypatch, workspaces[state], "acquisition")
    assert any("Upload leads" in i.value for i in at.info)
