"""Overview page: real KPI values on demo data, both languages, empty and partial workspaces."""

import pandas as pd
import pytest

from dashboard.config import SAMPLES_DIR
from dashboard.i18n import fmt_money, set_language
from tests.pages.conftest import run_page


def independent_revenue():
    """Revenue of the default period (Nov 2025 - Oct 2026) straight from the sample CSV with pandas."""
    df = pd.read_csv(SAMPLES_DIR / "orders.csv", dtype=str)
    dates = pd.to_datetime(df["订单日期"])
    amount = df["成交金额"].astype(float)
    return amount[(dates >= "2025-11-01") & (dates <= "2026-10-31")].sum()


def test_demo_overview_in_english(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"])
    metrics = {m.label: m.value for m in at.metric}
    assert list(metrics)[:8] == [
        "Revenue",
        "Gross margin",
        "Active customers",
        "New customers",
        "Monthly churn",
        "Top-20% share",
        "NPS",
        "Lead conversion",
    ]
    set_language("en")
    assert metrics["Revenue"] == fmt_money(independent_revenue())
    assert all(v != "–" for v in metrics.values())
    assert any("Demo data" in m.value for m in at.markdown)
    assert at.title[0].value == "Overview"


def test_demo_overview_in_chinese(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["demo"], lang="zh")
    metrics = {m.label: m.value for m in at.metric}
    set_language("zh")
    assert metrics["收入"] == fmt_money(independent_revenue())
    assert "万" in metrics["收入"]
    assert at.title[0].value == "总览"


def test_empty_workspace_points_to_the_data_page(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["empty"])
    assert "workspace is empty" in at.info[0].value
    assert not at.metric


def test_orders_only_shows_what_to_upload(monkeypatch, workspaces):
    at = run_page(monkeypatch, workspaces["partial"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["NPS"] == "–" and metrics["Lead conversion"] == "–"
    assert metrics["Revenue"] != "–"
    captions = " ".join(c.value for c in at.caption)
    assert "Upload NPS surveys" in captions and "Upload leads" in captions


@pytest.mark.parametrize("region", [["East"], ["North", "South"]])
def test_region_filter_changes_the_numbers(monkeypatch, workspaces, region):
    base = {m.label: m.value for m in run_page(monkeypatch, workspaces["demo"]).metric}
    at = run_page(monkeypatch, workspaces["demo"], state={"filter_region": region})
    filtered = {m.label: m.value for m in at.metric}
    assert filtered["Revenue"] != base["Revenue"]
