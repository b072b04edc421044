"""Pages build markdown from translations and escaped values, never by putting a raw value into an f-string.

t() escapes what it fills in; an f-string handed to st.markdown, st.caption, a heading or a notice does not. This
test reads the page code and fails on an f-string there whose parts are not t(...), md(...), a formatted number
or a constant, so a value from the data cannot slip into markdown unescaped.
"""

import ast

import pytest

from dashboard.config import ROOT

SINKS = {"markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success", "toast"}
SAFE_CALLS = {"t", "md", "t_error", "fmt_number", "fmt_money", "fmt_pct", "fmt_date", "fmt_month", "fmt_compact"}
FILES = [ROOT / "app.py", *sorted((ROOT / "dashboard" / "ui").glob("*.py")), *sorted((ROOT / "views").glob("*.py"))]


def _safe(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Call):
        f = expr.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        return name in SAFE_CALLS or (name == "join" and isinstance(f.value, ast.Call) and _name(f.value) == "Markdown")
    # Code constants (a colour from charts.QUADRANT_COLORS) are not data.
    if isinstance(expr, ast.Subscript):
        return _name(expr.value).isupper()
    return False


def _name(expr) -> str:
    if isinstance(expr, ast.Call):
        expr = expr.func
    return expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""


def unsafe_fstrings(source: str) -> list[int]:
    """Lines where an f-string with a part that is not known to be escaped is given to a markdown element."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SINKS):
            continue
        args = node.args[:1] + [k.value for k in node.keywords if k.arg in ("body", "label")]
        for arg in args:
            if isinstance(arg, ast.JoinedStr):
                parts = [v.value for v in arg.values if isinstance(v, ast.FormattedValue)]
                if not all(_safe(p) for p in parts):
                    found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_is_not_built_from_raw_values(path):
    assert unsafe_fstrings(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_raw_value():
    source = 'st.subheader(f"{name} · {t(\'x\')}")\nst.caption(f"{md(name)} {fmt_pct(x)}")\nc.info(label=f"{x}")\n'
    assert unsafe_fstrings(source) == [1, 3]
