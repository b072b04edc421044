"""The two catalogs are complete and every key the code asks for exists; numbers follow the locale."""

import json
import re
from datetime import date

import pytest

from dashboard.config import LOCALES_DIR, ROOT
from dashboard.i18n import fmt_compact, fmt_date, fmt_money, fmt_month, fmt_pct, set_language, t
from dashboard.schema import TABLE_NAMES


def catalogs():
    return {lang: json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("en", "zh")}


def test_catalogs_have_the_same_keys_and_placeholders():
    cat = catalogs()
    assert set(cat["en"]) == set(cat["zh"])
    for key, text in cat["en"].items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", cat["zh"][key])), key
        assert cat["zh"][key].strip(), key


def _literal_keys():
    keys = set()
    for path in [ROOT / "app.py", *ROOT.glob("views/*.py"), *ROOT.glob("dashboard/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", text))
        keys |= set(re.findall(r"\"((?:err|reason|kpi|page|filter|severity|status|mode_short)_[a-z0-9_]+)\"", text))
    return keys


def test_every_literal_key_used_in_code_exists():
    cat = catalogs()["en"]
    missing = sorted(k for k in _literal_keys() if k not in cat and not k.endswith("_"))
    assert missing == []


def test_generated_keys_exist():
    cat = catalogs()["en"]
    for name in TABLE_NAMES:
        assert f"table_{name}" in cat and f"table_{name}_help" in cat
    for kpi in ("revenue", "margin", "active", "new", "churn", "nps", "conversion", "top20"):
        assert f"kpi_{kpi}" in cat and f"kpi_{kpi}_help" in cat


def test_chinese_numbers_use_wan_and_yi():
    set_language("zh")
    assert fmt_compact(123_456_789) == "1.2亿"
    assert fmt_compact(21_326_000) == "2,133万" and fmt_compact(1_234_567) == "123.5万"
    assert fmt_money(12_345.678) == "¥1.2万"
    assert fmt_date(date(2026, 10, 31)) == "2026年10月31日" and fmt_month(date(2026, 10, 1)) == "2026年10月"
    assert t("page_overview") == "总览"


def test_english_numbers():
    set_language("en")
    assert fmt_compact(21_326_000) == "21.3M" and fmt_compact(1_686) == "1.7K" and fmt_compact(12.5) == "12.5"
    assert fmt_money(-1234.5, compact=False) == "-¥1,234.50"
    assert fmt_pct(0.1234) == "12.3%" and fmt_pct(0.05, signed=True) == "+5.0%"
    assert fmt_month(date(2026, 10, 1)) == "Oct 2026"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_values_show_a_dash(missing):
    assert fmt_money(missing) == fmt_pct(missing) == fmt_compact(missing) == fmt_date(missing) == "–"
