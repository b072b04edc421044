"""Main user journeys in headless Chromium against the real app on localhost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.i18n import fmt_money, set_language
from dashboard.workspace import Workspace
from tests.browser.server import CHROMIUM, browser_page, running_app, wait_for_app

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (see .ci/run)")

ORDERS = (
    "订单编号,客户编号,订单日期,成交金额,毛利\n"
    'A1,00001,2026/1/5,"￥1,234.50",100\n'
    "A2,00002,2026年2月6日,(12.00),\n"
    "A3,00003,2026-03-07,500,200\n"
    "A4,00001,bad date,5,1\n"
)


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_upload_through_the_data_page_changes_the_overview(tmp_path):
    ws_path = tmp_path / "ws.duckdb"
    Workspace(ws_path).close()  # an existing, empty workspace: the user starts with their own data
    upload = tmp_path / "订单导出.csv"
    upload.write_bytes(ORDERS.encode("gbk"))  # what Chinese Excel writes
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(url)
        wait_for_app(page)
        expect(page.get_by_text("The workspace is empty")).to_be_visible(timeout=30_000)
        page.goto(url + "/data")
        wait_for_app(page)
        page.locator("input[type='file']").set_input_files(str(upload))
        page.get_by_text("Rows to load").wait_for(timeout=60_000)
        wait_for_app(page)
        expect(page.get_by_text("订单导出.csv: orders")).to_be_visible(timeout=30_000)
        assert metric(page, "Rows to load") == "3" and metric(page, "Rows rejected") == "1"
        expect(page.get_by_text("not a date").first).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Load 3 rows into orders").click()
        page.get_by_text("Loaded 3 rows into orders").wait_for(timeout=60_000)
        page.get_by_role("link", name="Overview").click()
        expect(page.locator("h1").first).to_have_text("Overview", timeout=30_000)
        wait_for_app(page)
        set_language("en")
        # Default period: the last 12 full months (Mar 2025 - Feb 2026); March 2026 is not complete yet.
        assert metric(page, "Revenue") == fmt_money(1234.50 - 12.00)
        assert metric(page, "Active customers") == "2"
        expect(page.get_by_text("Newer data up to 2026-03-07")).to_be_visible(timeout=30_000)


def test_language_switch_changes_every_page(demo_workspace, tmp_path):
    ws_path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, ws_path)
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(url)
        expect(page.locator("h1").first).to_have_text("Overview", timeout=30_000)
        page.locator("[data-testid='stSidebar']").get_by_text("简体中文").click()
        expect(page.locator("h1").first).to_have_text("总览", timeout=30_000)
        wait_for_app(page)
        assert "万" in metric(page, "收入")
        page.get_by_role("link", name="数据管理").click()
        expect(page.locator("h1").first).to_have_text("数据管理", timeout=30_000)
        wait_for_app(page)
        expect(page.get_by_text("导入记录")).to_be_visible(timeout=30_000)


def test_a_bad_file_gets_a_clear_message_and_changes_nothing(demo_workspace, tmp_path):
    ws_path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, ws_path)
    bad = tmp_path / "leads.csv"
    bad.write_text("who,what\nx,y\n", encoding="utf-8")
    before = Workspace(ws_path)
    counts = before.row_counts()
    before.close()
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(url + "/data")
        wait_for_app(page)
        page.locator("input[type='file']").set_input_files(str(bad))
        page.get_by_text("could be recognised").wait_for(timeout=60_000)
        expect(page.get_by_text("Nothing was loaded; your workspace is unchanged.")).to_be_visible(timeout=30_000)
    after = Workspace(ws_path)
    assert after.row_counts() == counts
    after.close()


@pytest.mark.parametrize(
    ("lang", "label", "title"), [("en", "Momentum split", "Investment map"), ("zh", "动能分割线", "投资象限")]
)
def test_moving_a_slider_changes_the_quadrant_summary(demo_workspace, tmp_path, lang, label, title):
    ws_path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, ws_path)
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(f"{url}/investment?lang={lang}")
        expect(page.locator("h1").first).to_have_text(title, timeout=30_000)
        wait_for_app(page)
        values = page.locator("[data-testid='stMetricValue']")
        before = values.all_inner_texts()
        slider = page.locator("[data-testid='stSlider']").filter(has_text=label).get_by_role("slider")
        slider.focus()
        for _ in range(6):  # 50 -> 80 in steps of 5
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
            f".map(e => e.innerText).join('|') !== {before!r}.join('|')",
            timeout=30_000,
        )
        wait_for_app(page)
        after = values.all_inner_texts()
        assert sum(int(v.replace(",", "")) for v in after) == sum(int(v.replace(",", "")) for v in before)
        assert int(after[0].replace(",", "")) < int(before[0].replace(",", ""))


def test_export_the_dormant_list_and_open_it(demo_workspace, tmp_path):
    import pandas as pd

    from dashboard.filters import default_period
    from dashboard.queries import run_query

    ws_path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, ws_path)
    ws = Workspace(ws_path)
    _, end = default_period(ws.cursor())
    expected = run_query(ws.cursor(), "retention/dormant_customers", end=end, window_days=90)
    ws.close()
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(f"{url}/retention")
        expect(page.get_by_text("have not ordered in 90 days")).to_be_visible(timeout=60_000)
        wait_for_app(page)
        section = page.locator("[data-testid='stDownloadButton']").filter(has_text="CSV").last
        with page.expect_download(timeout=60_000) as info:
            section.click()
        path = tmp_path / "dormant.csv"
        info.value.save_as(path)
        filename = info.value.suggested_filename
    got = pd.read_csv(path, encoding="utf-8-sig", dtype={"customer_id": str, "phone": str})
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert got["phone"].tolist() == expected["phone"].tolist()
    assert filename == "dormant_customers_90d.csv"


def test_from_a_customer_list_to_the_profile(demo_workspace, tmp_path):
    ws_path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, ws_path)
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(f"{url}/concentration")
        wait_for_app(page)
        grid = page.locator("[data-testid='stDataFrame']").last
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's selection box
        link = page.get_by_role("link", name="Open the profile of")
        link.wait_for(timeout=30_000)
        customer = link.inner_text().rsplit(" ", 1)[-1]
        link.click()
        expect(page.locator("h1").first).to_have_text("Customer profile", timeout=30_000)
        wait_for_app(page)
        expect(page.get_by_role("heading", name=customer)).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Timeline")).to_be_visible(timeout=30_000)


@pytest.mark.parametrize(
    ("page_path", "lang", "title", "heading", "charts"),
    [
        ("acquisition", "en", "Acquisition", "Channels", 5),
        ("acquisition", "zh", "获客与投放", "渠道明细", 5),
        ("advocacy", "en", "Advocacy", "Net Promoter Score", 4),
        ("advocacy", "zh", "口碑与推荐", "净推荐值", 4),
    ],
)
def test_pages_in_both_languages(demo_workspace, tmp_path, page_path, lang, title, heading, charts):
    ws_path = tmp_path / "demo.duckdb"
    shutil.copy(demo_workspace, ws_path)
    with running_app(ws_path) as url, browser_page() as page:
        page.goto(f"{url}/{page_path}?lang={lang}")
        wait_for_app(page)
        expect(page.locator("h1").first).to_have_text(title, timeout=30_000)
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=30_000)
        page.wait_for_function(
            f"document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length >= {charts}", timeout=60_000
        )
        assert not page.locator("[data-testid='stException']").count()
