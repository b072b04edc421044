"""In a real browser, hostile data and links make no request beyond the app and show no link or image of theirs.

Every page is opened on the hostile workspace (tests/hostile.py), the profile by a hostile ?id= and ?lang=, and a
file with a hostile name and headers is uploaded on the Data page. Every request the page makes is recorded.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.browser.server import CHROMIUM, browser_page, running_app, wait_for_app
from tests.hostile import CUSTOMER_ID, CUSTOMER_NAME, HTML, IMAGE, LINK, MISSING_ID, build_hostile_workspace

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (see .ci/run)")

PAGES = ["", "acquisition", "concentration", "retention", "advocacy", "investment", "data"]
# Links and images the data could have made, in HTML or in plotly's SVG (xlink:href): any href or src attribute
# pointing off the app or running script.
FOREIGN = """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /(^|:)(href|src)$/.test(a.name))
    .filter(a => /127\\.0\\.0\\.2|evil\\.example|^\\s*(javascript|mailto):/i.test(a.value)
        || /^https?:\\/\\/(?!127\\.0\\.0\\.1[:/])/i.test(a.value))
    .map(a => e.tagName + ' ' + a.name + '=' + a.value))"""


def check(page, requests: list[str], origin: str, where: str) -> None:
    foreign = [u for u in requests if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != origin]
    assert foreign == [], (where, foreign)
    assert page.evaluate(FOREIGN) == [], where
    assert not page.locator("[data-testid='stException']").count(), where


def test_hostile_values_make_no_request_and_no_link(tmp_path):
    ws_path = build_hostile_workspace(tmp_path / "hostile.duckdb")
    upload = tmp_path / "<img src=x>[click](javascript:alert(1)) $x$.csv"
    upload.write_text(
        f"订单编号,客户编号,订单日期,成交金额,{IMAGE},{HTML}\nA1,C9,2026-01-05,10,{LINK},x\nA2,C9,not a date,5,,\n",
        encoding="utf-8",
    )
    with running_app(ws_path) as url, browser_page() as page:
        origin = urlsplit(url).netloc
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for path in PAGES:
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            check(page, requests, origin, path or "overview")
        for cid, lang in ((CUSTOMER_ID, "en"), (MISSING_ID, "zh"), (CUSTOMER_ID, f"{IMAGE}")):
            page.goto(f"{url}/customer?id={quote(cid)}&lang={quote(lang)}")
            wait_for_app(page)
            check(page, requests, origin, f"customer {cid} {lang}")
        # The profile shows the hostile name as the characters it is made of.
        page.goto(f"{url}/customer?id={quote(CUSTOMER_ID)}")
        wait_for_app(page)
        heading = page.locator("[data-testid='stMain'] h3").first.inner_text().replace("\u2060", "")  # see md()
        assert heading == f"{CUSTOMER_NAME} · {CUSTOMER_ID}"
        page.goto(f"{url}/data")
        wait_for_app(page)
        page.locator("input[type='file']").set_input_files(str(upload))
        page.get_by_text("Rows to load").wait_for(timeout=60_000)
        wait_for_app(page)
        assert page.get_by_text("$x$.csv: orders").count() >= 1  # the file name, as it is
        check(page, requests, origin, "data page upload")
