"""Every user-visible string, in English and Simplified Chinese, and numbers written the locale's way.

Strings live in ``locales/<lang>.json``. The language is per thread (Streamlit runs each session's script in its
own thread), set once at the top of every run by ``app.py``; charts and the command line read the same setting.

Inside the app every translated text lands in Streamlit markdown, and nearly every value filled into it comes from
the user's data or the link (names, regions, file names, ``?id=``). So there ``t`` escapes each value with :func:`md`
unless it is already :class:`Markdown` (another translation, a formatted number): a name like
``![x](http://host/t.png)`` is shown as those characters, never fetched. The command line prints plain text.
"""

from __future__ import annotations

import json
import math
import re
import threading
from datetime import date, datetime
from functools import lru_cache, wraps

from .config import CURRENCY, LOCALES_DIR


class Markdown(str):
    """Text fit for Streamlit markdown as it is: a translated template, a formatted number, or an escaped value."""

    __slots__ = ()

    def join(self, parts) -> Markdown:
        """The parts joined by this separator, each escaped by :func:`md` unless it is Markdown already."""
        return Markdown(str.join(self, (md(p) for p in parts)))


# What a missing value shows as, in numbers and in tables alike.
MISSING = Markdown("–")

LANGUAGES = {"en": "English", "zh": "简体中文"}
_state = threading.local()


# CommonMark shows any backslash-escaped ASCII punctuation character as itself, whatever construct it could start:
# links, images, emphasis, code, HTML, entities, Streamlit's :red[...] and :material/...: and $math$.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GFM turns http://..., www.... and a@b.c into links after parsing, escapes or not: a word joiner (invisible,
# not a line break) inside each pattern stops it.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
_LINE_BREAK = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")


def md(value) -> Markdown:
    """``value`` as literal text inside Streamlit markdown (a heading, caption, notice, label or list).

    Every ASCII punctuation character is backslash-escaped, line breaks become spaces (a value cannot start a new
    block), and bare URLs and e-mail addresses are kept from being linked. :class:`Markdown` is returned as it is.
    """
    if isinstance(value, Markdown):
        return value
    text = _AUTOLINK.sub("\u2060", _LINE_BREAK.sub(" ", str(value)))
    return Markdown(_PUNCTUATION.sub(r"\\\1", text))


def _no_session():
    return None


# The state of the app session this thread is running a page for, or None (the command line, a test, a download
# thread). The app plugs its own in (dashboard.ui.state), so this module needs to know nothing of Streamlit.
session = _no_session


def markdown_output() -> bool:
    """True inside an app session, where translations are shown as markdown; False for the command line."""
    return session() is not None


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """The message catalog of ``lang`` (key -> text)."""
    return json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def set_language(lang: str) -> None:
    """Choose the language of this thread ('en' or 'zh')."""
    _state.lang = lang if lang in LANGUAGES else "en"


def get_language() -> str:
    """The current language: the app session's choice inside the app, else this thread's (English by default)."""
    # Reruns that execute only the page (not app.py) must still speak the session's language.
    lang = (session() or {}).get("lang") or getattr(_state, "lang", "en")
    return lang if lang in LANGUAGES else "en"


def t(key: str, /, **params) -> str:
    """Translate ``key`` into the current language, filling ``{name}`` placeholders from ``params``.

    Inside the app the result is :class:`Markdown` and each value not already Markdown is escaped by :func:`md`,
    so data can never add a link, an image or formatting; use :func:`t_plain` where the text is shown as is
    (select box options, table cells). A key missing from the catalog is returned as is, so a gap shows up on
    screen instead of crashing a page (a test keeps the catalogs complete).
    """
    if not markdown_output():
        return t_plain(key, **params)
    text = catalog(get_language()).get(key) or catalog("en").get(key) or key
    return Markdown(text.format(**{k: md(v) for k, v in params.items()}) if params else text)


def t_plain(key: str, /, **params) -> str:
    """:func:`t` without escaping, for text shown as is: select box options, table cells, the command line."""
    text = catalog(get_language()).get(key) or catalog("en").get(key) or key
    return text.format(**params) if params else text


def _formatted(fmt):
    # A number or date written by the locale holds digits, separators, a sign, a currency and a unit: nothing
    # markdown reads, so it is Markdown already and fills templates unescaped, in tables and charts as well.
    # Every format shows a missing value (None, NaN) the same way.
    @wraps(fmt)
    def formatted(x, *args, **kwargs) -> Markdown:
        return Markdown(MISSING if _is_missing(x) else fmt(x, *args, **kwargs))

    return formatted


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@_formatted
def fmt_number(x, decimals: int = 0) -> str:
    """A number with thousands separators and ``decimals`` places ('–' when missing)."""
    return f"{float(x):,.{decimals}f}"


@_formatted
def fmt_compact(x, decimals: int = 1) -> str:
    """A large number in the locale's short form: 1.2M / 3.4K in English, 1.2亿 / 3.4万 in Chinese."""
    x = float(x)
    sign, a = ("-" if x < 0 else ""), abs(x)
    units = [(1e8, "亿"), (1e4, "万")] if get_language() == "zh" else [(1e9, "B"), (1e6, "M"), (1e3, "K")]
    for size, suffix in units:
        if a >= size:
            # Four significant digits at most, so a KPI fits its card: 2,430万 rather than 2,430.4万.
            places = 0 if a / size >= 1000 else decimals
            return f"{sign}{a / size:,.{places}f}{suffix}"
    if a >= 100 or a.is_integer():
        return f"{sign}{a:,.0f}"
    return f"{sign}{a:,.{min(decimals, 2)}f}"


@_formatted
def fmt_money(x, compact: bool = True, decimals: int = 2) -> str:
    """Money with the currency symbol: compact for KPIs (¥1.2M, ¥120.5万), exact to the cent otherwise."""
    body = fmt_compact(abs(x), 1 if compact else decimals) if compact else fmt_number(abs(x), decimals)
    return f"{'-' if float(x) < 0 else ''}{CURRENCY}{body}"


@_formatted
def fmt_pct(x, decimals: int = 1, signed: bool = False) -> str:
    """A share (0.123) as a percentage ('12.3%'); ``signed`` adds '+' to positive values."""
    return f"{x * 100:{'+' if signed else ''}.{decimals}f}%"


@_formatted
def fmt_date(d) -> str:
    """A date the locale's way: 2026-10-31 in English, 2026年10月31日 in Chinese."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if isinstance(d, datetime):
        d = d.date()
    if get_language() == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


@_formatted
def fmt_month(d) -> str:
    """A month: 'Oct 2026' in English, '2026年10月' in Chinese."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月" if get_language() == "zh" else d.strftime("%b %Y")


def t_error(code: str, detail: dict) -> str:
    """Translate an ingest error (``LoadError``/``ReadError`` code and detail), naming tables in the language."""
    return t(code, **{k: t(f"table_{v}") if k in ("kind", "other") else v for k, v in detail.items()})
