"""acquisition/channel_conversion and conversion_by_month, by hand and against scipy's statistics.

Channel A: 40 leads, 15 converted (converted_at 5 days later, no stage), 1 still open on 01-20; spend 1000.
Channel B: 35 leads, none converted (one 'Lost' lead has a close date: still not converted); no spend.
Channel C: 10 leads, 5 won (10 days); spend 500: under 30 leads, never flagged.
Revenue: A's lead LA0 is customer CA, whose orders 2024-01-10 (100) and 2024-12-31 (30) fall in the 365 days
from conversion (2024-01-07); 2024-01-05 (before) and 2025-01-06 (day 365) do not. The 14 other A conversions
carry a deal value of 10 each; C's five carry 20 each.
"""

from datetime import date

import pandas as pd
import pytest
from scipy.stats import binomtest, chi2_contingency

from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import insert

YEAR = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


def leads():
    rows = []
    for i in range(15):
        rows.append(
            {
                "lead_id": f"LA{i}",
                "created_at": "2024-01-02",
                "channel": "A",
                "converted_at": "2024-01-07",
                "customer_id": "CA" if i == 0 else None,
                "deal_value": None if i == 0 else 10,
            }
        )
    rows += [{"lead_id": f"LAx{i}", "created_at": "2024-01-02", "channel": "A", "stage": "Lost"} for i in range(24)]
    rows.append({"lead_id": "LA-open", "created_at": "2024-01-20", "channel": "A", "stage": "Open"})
    rows += [
        {
            "lead_id": f"LB{i}",
            "created_at": "2024-01-05",
            "channel": "B",
            "stage": "Lost",
            "converted_at": "2024-02-01" if i == 0 else None,
        }
        for i in range(35)
    ]
    rows += [
        {
            "lead_id": f"LC{i}",
            "created_at": "2024-01-03",
            "channel": "C",
            "stage": "Won" if i < 5 else "Lost",
            "converted_at": "2024-01-13" if i < 5 else None,
            "deal_value": 20 if i < 5 else None,
        }
        for i in range(10)
    ]
    return rows


@pytest.fixture
def con():
    ws = Workspace(":memory:")
    insert(ws, "leads", leads())
    insert(
        ws,
        "orders",
        [
            {"customer_id": "CA", "order_date": d, "amount": a}
            for d, a in [("2024-01-05", 999), ("2024-01-10", 100), ("2024-12-31", 30), ("2025-01-06", 50)]
        ],
    )
    insert(
        ws,
        "ad_spend",
        [
            {"month": "2024-01-01", "channel": "A", "spend": 600},
            {"month": "2024-03-01", "channel": "A", "spend": 400},
            {"month": "2024-01-01", "channel": "C", "spend": 500},
            {"month": "2023-12-01", "channel": "C", "spend": 999},
        ],
    )
    yield ws.cursor()
    ws.close()


@pytest.fixture
def table(con):
    return run_query(con, "acquisition/channel_conversion", **YEAR).set_index("channel")


def test_counts_and_money(table):
    a, b, c = table.loc["A"], table.loc["B"], table.loc["C"]
    assert (a.leads, a.converted, b.leads, b.converted, c.leads, c.converted) == (40, 15, 35, 0, 10, 5)
    assert (a.median_days_to_convert, c.median_days_to_convert) == (5, 10)
    assert float(a.revenue_365d) == 100 + 30 + 14 * 10 and float(c.revenue_365d) == 100
    assert (float(a.spend), float(c.spend)) == (1000, 500)
    assert (a.cpl, a.cpa, a.roas, a.roi) == pytest.approx((25, 1000 / 15, 0.27, (270 - 1000) / 1000))
    assert (c.cpl, c.cpa, c.roas, c.roi) == pytest.approx((50, 100, 0.2, -0.8))


def test_a_channel_without_spend_has_no_cost_figures(table):
    b = table.loc["B"]
    assert b[["spend", "cpl", "cpa", "roas", "roi"]].isna().all()


def test_wilson_interval_matches_scipy(table):
    for ch in "ABC":
        row = table.loc[ch]
        ci = binomtest(int(row.converted), int(row.leads)).proportion_ci(0.95, method="wilson")
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-6)


def test_two_proportion_z_test_matches_a_chi_square_test(table):
    total_leads, total_conv = table.leads.sum(), table.converted.sum()
    for ch, expected in [("A", "above"), ("B", "below"), ("C", "none")]:
        row = table.loc[ch]
        rest_leads, rest_conv = total_leads - row.leads, total_conv - row.converted
        chi2, p, _, _ = chi2_contingency(
            [[row.converted, row.leads - row.converted], [rest_conv, rest_leads - rest_conv]], correction=False
        )
        if ch != "C":
            assert row.z_score**2 == pytest.approx(chi2)
            assert p < 0.05
        assert row.significance == expected  # C converts 50% but has under 30 leads


def test_maturing_leads(table):
    # As of 2024-01-20 (newest lead): A's open lead is younger than A's median of 5 days.
    assert table.maturing_leads.to_dict() == {"A": 1, "B": 0, "C": 0}


def test_channel_filter(con):
    df = run_query(con, "acquisition/channel_conversion", **YEAR, channel=["C"])
    assert df.channel.tolist() == ["C"]


def test_conversion_by_month(con):
    df = run_query(con, "acquisition/conversion_by_month", **YEAR).set_index("channel")
    assert df.leads.to_dict() == {"A": 40, "B": 35, "C": 10}
    assert df.conversion_rate.to_dict() == pytest.approx({"A": 15 / 40, "B": 0, "C": 0.5})
    assert df.is_maturing.all()  # January is younger than the median (5 days) + a month, as of 2024-01-20


def test_campaign_drill_down_matches_spend_on_a_missing_campaign(con):
    df = run_query(con, "acquisition/campaign_conversion", **YEAR).set_index("channel")
    assert df.campaign.isna().all()  # the leads name no campaign; neither does the spend
    assert df.leads.to_dict() == {"A": 40, "B": 35, "C": 10}
    assert (float(df.spend["A"]), df.roas["A"]) == (1000, pytest.approx(0.27))


def test_stage_funnel(con):
    df = run_query(con, "acquisition/stage_funnel", **YEAR)
    a = df[df.channel == "A"].set_index("stage")
    assert a.leads.to_dict() == {"Lost": 24, "Open": 1}  # A's conversions carry no stage
    assert a.share_of_channel.to_dict() == pytest.approx({"Lost": 24 / 25, "Open": 1 / 25})
    order = df.drop_duplicates("stage").set_index("stage").stage_order.to_dict()
    assert order == {"Lost": 1, "Won": 2, "Open": 3}  # 64, 5 and 1 leads overall


def test_referral_conversion(con):
    # Mark three of channel C's leads as referred: LC0 and LC1 converted (won), LC9 did not.
    con.execute("UPDATE leads SET referred_by = 'R1' WHERE lead_id IN ('LC0', 'LC9')")
    con.execute("INSERT INTO referrals (referrer_id, referred_at, referred_lead_id) VALUES ('R2', '2024-01-03', 'LC1')")
    df = run_query(con, "advocacy/referral_conversion", **YEAR).set_index("origin")
    assert df.leads.to_dict() == {"referred": 3, "other": 82}
    assert df.converted.to_dict() == {"referred": 2, "other": 18}
    assert df.conversion_rate["referred"] == pytest.approx(2 / 3)


def test_channel_totals_are_the_sums_of_the_channel_table(con):
    # 40 + 35 + 10 leads, 15 + 0 + 5 converted; spend 1000 + 500; 365-day revenue 270 (A) + 100 (C).
    t = run_query(con, "acquisition/channel_totals", **YEAR).iloc[0]
    assert (t.leads, t.converted, float(t.spend), float(t.revenue_365d)) == (85, 20, 1500, 370)
    assert (t.conversion_rate, t.roas) == pytest.approx((20 / 85, 370 / 1500))
    # Channel B alone: leads, no spend, so no return on it.
    b = run_query(con, "acquisition/channel_totals", **YEAR, channel=["B"]).iloc[0]
    assert (b.leads, b.converted, b.conversion_rate) == (35, 0, 0) and pd.isna(b.spend) and pd.isna(b.roas)
