"""Every page shows data and link values as text: no markdown link, image, HTML or directive from the data survives.

The workspace (tests/hostile.py) puts markdown images and links, HTML, javascript: links, Streamlit directives,
math and bare URLs into names, regions, segments, channels, campaigns, products, categories, touchpoints, owners,
comments and a customer id. Streamlit renders markdown in headings, captions, notices, metrics, labels, help,
radio and segmented-control options and page links; select box options and table cells are plain text, and plotly
reads its text as HTML.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from dashboard.i18n import md
from tests.hostile import (
    BARE,
    CUSTOMER_ID,
    CUSTOMER_NAME,
    DIRECTIVES,
    EVIL_HOST,
    FORMULA,
    HTML,
    IMAGE,
    LINK,
    MISSING_ID,
    build_hostile_workspace,
)
from tests.pages.conftest import APP, run_page

PAGES = ["overview", "acquisition", "concentration", "retention", "advocacy", "investment", "customer", "data"]
# Any of these in markdown means a value reached it unescaped.
LIVE = [EVIL_HOST, "evil.example", "javascript", ":red[", ":material/warning:", ":smile:", "$x^2$", "**bold**"]
LIVE += ["<img", "<a ", "<b>", "](", "!["]
# Fields shown as plain text, or checked on their own (plotly's spec).
PLAIN = {
    ("selectbox", "options"),
    ("multiselect", "options"),
    ("multiselect", "default"),
    ("page_link", "query_string"),  # URL-encoded, not shown
    ("plotly_chart", "spec"),
}


@pytest.fixture(scope="module")
def hostile_workspace(tmp_path_factory):
    return build_hostile_workspace(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


def _strings(msg: Message, field: str = ""):
    for f, value in msg.ListFields():
        values = [value] if isinstance(value, (str, bytes, Message)) or not hasattr(value, "__iter__") else value
        for v in values:
            if isinstance(v, Message):
                yield from _strings(v, f.name)
            elif isinstance(v, str):
                yield f.name, v


def rendered_text(at) -> list[tuple[str, str, str]]:
    """(element type, field, text) of every string an element shows as markdown, from the whole page tree."""
    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", type(node).__name__)
        out += [(kind, field, s) for field, s in _strings(proto) if (kind, field) not in PLAIN]
    return out


def figures(at) -> list[dict]:
    return [json.loads(node.proto.spec) for node in at._tree if getattr(node, "type", None) == "plotly_chart"]


def _trace_text(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _trace_text(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _trace_text(v, key)
    elif isinstance(value, str):
        yield key, value


def assert_shown_as_text(at) -> None:
    """No markdown string holds a hostile construct unescaped; no figure text holds HTML from the data."""
    for kind, field, text in rendered_text(at):
        # A backslash-escaped character is shown as itself and starts nothing: drop the pairs, look at the rest.
        bare = re.sub(r"\\.", "", text)
        live = [m for m in LIVE if m in bare]
        assert not live, (kind, field, text, live)
    for fig in figures(at):
        for trace in fig["data"]:
            for key, text in _trace_text(trace):
                if key in ("hovertemplate", "texttemplate"):
                    assert EVIL_HOST not in text and "javascript" not in text, text
                else:
                    assert not re.search(r"<[a-zA-Z/!]", text), (key, text)
        layout = json.dumps(fig["layout"])
        assert EVIL_HOST not in layout and "javascript" not in layout


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_values_as_text(monkeypatch, hostile_workspace, page):
    state = {"profile_id": CUSTOMER_ID, "inv_customer": CUSTOMER_ID} if page in ("customer", "investment") else {}
    at = run_page(monkeypatch, hostile_workspace, page, state=state)
    assert_shown_as_text(at)


def test_the_profile_shows_its_hostile_fields_escaped(monkeypatch, hostile_workspace):
    at = run_page(monkeypatch, hostile_workspace, "customer", state={"profile_id": CUSTOMER_ID})
    assert at.subheader[0].value == md(f"{CUSTOMER_NAME} · {CUSTOMER_ID}")
    caption = at.caption[0].value
    for value in (LINK, IMAGE, HTML, FORMULA):  # segment, region, channel, owner
        assert md(value) in caption
    lists = " ".join(m.value for m in at.markdown)
    assert md(BARE) in lists and md(DIRECTIVES) in lists  # e-mail, credit rating
    assert_shown_as_text(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_id_in_the_link_is_shown_as_text(monkeypatch, hostile_workspace, lang):
    monkeypatch.setenv("CRI_WORKSPACE", str(hostile_workspace))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/customer.py")
    at.query_params["id"] = MISSING_ID
    at.run()
    assert not at.exception
    assert len(at.warning) == 1 and md(MISSING_ID) in at.warning[0].value
    assert_shown_as_text(at)


def test_charts_escape_data_for_plotly(monkeypatch, hostile_workspace):
    at = run_page(monkeypatch, hostile_workspace, "acquisition")
    specs = json.dumps(figures(at))
    # The hostile channel is drawn (a bar, a legend entry), as entities plotly shows as the characters.
    assert json.dumps(html.escape(HTML, quote=False))[1:-1] in specs
    assert_shown_as_text(at)


def test_a_selected_point_gives_back_the_customer_id():
    import plotly.graph_objects as go

    from dashboard.charts import escape_trace_text, unescape

    fig = escape_trace_text(go.Figure(go.Scatter(x=[1], y=[1], customdata=[[CUSTOMER_ID, HTML]], name=HTML)))
    assert fig.data[0].customdata[0][1] == html.escape(HTML, quote=False) and "<" not in fig.data[0].name
    assert unescape(fig.data[0].customdata[0][0]) == CUSTOMER_ID
