"""Axis labels follow the locale's units, as the KPI cards do."""

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.charts import compact_ticks, fig_revenue_trend, fig_top20_trend


@pytest.fixture
def lang():
    yield i18n.set_language
    i18n.set_language("en")


def test_money_ticks_use_the_locale_units(lang):
    lang("en")
    assert compact_ticks([0, 24_300_000], money=True) == {
        "tickvals": [0, 5_000_000, 10_000_000, 15_000_000, 20_000_000, 25_000_000],
        "ticktext": ["¥0", "¥5M", "¥10M", "¥15M", "¥20M", "¥25M"],
    }
    lang("zh")
    ticks = compact_ticks([1_300_000, 2_800_000], money=True)
    # 2.8M / 6 = 467K a tick: the next round step is 500K, written 50万.
    assert ticks["tickvals"] == [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000]
    assert ticks["ticktext"] == ["¥0", "¥50万", "¥100万", "¥150万", "¥200万", "¥250万", "¥300万"]
    small = compact_ticks([0, 120_000], money=True)
    assert small["ticktext"] == ["¥0", "¥2万", "¥4万", "¥6万", "¥8万", "¥10万", "¥12万"]


def test_count_ticks_cover_negatives_and_halves(lang):
    lang("en")
    # 15,000 / 6 = 2,500 a tick.
    assert compact_ticks([-3_000, 12_000]) == {
        "tickvals": [-5_000, -2_500, 0, 2_500, 5_000, 7_500, 10_000, 12_500],
        "ticktext": ["-5K", "-2.5K", "0", "2.5K", "5K", "7.5K", "10K", "12.5K"],
    }
    assert compact_ticks([450, 790]) == {
        "tickvals": [0, 200, 400, 600, 800],
        "ticktext": ["0", "200", "400", "600", "800"],
    }


def test_no_values_keep_plotly_s_own_format():
    assert compact_ticks([], [None], money=True) == {"tickprefix": "¥", "tickformat": "~s"}


def test_revenue_trend_axis_in_chinese(lang):
    import pandas as pd

    lang("zh")
    df = pd.DataFrame(
        {"month": ["2026-01-01", "2026-02-01"], "revenue": [1_300_000, 2_800_000], "gross_margin": [None, None]}
    )
    axis = fig_revenue_trend(df).layout.yaxis
    assert list(axis.ticktext) == ["¥0", "¥50万", "¥100万", "¥150万", "¥200万", "¥250万", "¥300万"]


def test_the_top20_trend_leaves_room_for_its_labels():
    df = pd.DataFrame({"quarter": pd.to_datetime(["2025-10-01", "2026-01-01"]), "top20_share": [0.74, 0.80]})
    low, high = fig_top20_trend(df).layout.yaxis.range
    assert low < 0.74 and high > 0.80 + 0.01
