"""Values filled into translations are shown as text in the app's markdown, and as they are on the command line."""

import re

import pytest

from dashboard import i18n
from dashboard.i18n import Markdown, fmt_money, fmt_pct, md, t, t_error, t_plain

WJ = "\u2060"  # the word joiner md() puts inside bare links

HOSTILE = [
    "![x](http://127.0.0.2:9/t.png)",
    "[Session expired - click here](http://127.0.0.2:9/phish)",
    "<img src=x onerror=alert(1)> <a href='http://127.0.0.2:9/a'>a</a> &copy;",
    "[js](javascript:alert(1))",
    ":red[red] :material/warning: :smile: $x^2$ **b** _i_ ~~s~~ `c`",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "a | b",
    "\\*not bold\\*",
]


def literal(text: str) -> str:
    """What CommonMark shows for ``text``: a backslash before ASCII punctuation is dropped (spec, section 2.4)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(WJ, "")


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escapes_every_ascii_punctuation_and_shows_the_value(value):
    out = md(value)
    assert isinstance(out, Markdown)
    assert literal(out) == value
    # Nothing markdown reads is left: each punctuation character is preceded by a backslash.
    assert re.fullmatch(r"(?:\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", out.replace(WJ, ""))


def test_md_exact_forms():
    assert md("![x](http://h/t.png)") == r"\!\[x\]\(http\:" + WJ + r"\/\/h\/t\.png\)"
    assert md(":red[a]") == r"\:red\[a\]"
    assert md("$1.5") == r"\$1\.5"
    assert md("王 小明") == "王 小明"
    assert md(12) == "12" and md(-1.5) == r"\-1\.5"


def test_md_keeps_bare_links_from_being_linked():
    # GFM links bare URLs and e-mail addresses after escapes are read: a word joiner breaks each pattern.
    assert md("http://a.b/c") == r"http\:" + WJ + r"\/\/a\.b\/c"
    assert md("see WWW.evil.com") == "see WWW" + WJ + r"\.evil\.com"
    assert md("x@evil.com") == r"x\@" + WJ + r"evil\.com"


def test_md_line_breaks_cannot_start_a_block():
    assert md("a\n\n# b\r\n[c](d)") == r"a \# b \[c\]\(d\)"
    assert "\n" not in md("a\u2028b\x85c\fd\ve\rf")


def test_markdown_passes_through_and_joins_escape_the_rest():
    done = md("[a](b)")
    assert md(done) is done
    joined = Markdown(", ").join([Markdown("**x**"), "[y](z)"])
    assert joined == r"**x**, \[y\]\(z\)" and isinstance(joined, Markdown)


def test_formatted_numbers_are_markdown_as_they_are():
    assert isinstance(fmt_money(-1234.5), Markdown) and fmt_money(-1234.5) == "-¥1.2K"
    assert fmt_pct(0.125) == "12.5%" and isinstance(i18n.MISSING, Markdown)


def test_outside_the_app_translations_are_plain(monkeypatch):
    # The command line prints t() as it is: no backslashes in a file name.
    assert not i18n.markdown_output()
    assert t("profile_unknown", id="[a](http://b)") == "There is no customer [a](http://b) in the workspace."
    assert t_error("err_no_rows", {"columns": "a_b, *c*"}) == "The file has headers (a_b, *c*) but no data rows."


def test_inside_the_app_every_value_is_escaped(monkeypatch):
    monkeypatch.setattr(i18n, "markdown_output", lambda: True)
    out = t("profile_unknown", id="[Session expired](http://127.0.0.2:9/x)")
    assert isinstance(out, Markdown)
    assert out == "There is no customer " + md("[Session expired](http://127.0.0.2:9/x)") + " in the workspace."
    # Nested translations and formatted numbers are Markdown already: not escaped twice.
    assert t("need_upload_short", tables=t("table_ad_spend")) == t_plain("need_upload_short", tables="ad spend")
    assert t("maturing_n", n=fmt_money(1.5)) == "¥1.5 still maturing"
    # A template's own markdown stays; only the value is escaped.
    assert t("report_line", rows=1, severity="error", column="*c*", reason="r").startswith(
        r"**1** × error in column **\*c\***"
    )
    # t_plain is for text shown as is (select box options).
    assert t_plain("profile_unknown", id="a_b") == "There is no customer a_b in the workspace."
