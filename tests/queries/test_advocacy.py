"""advocacy/nps_monthly by hand: a mixed month, a month with one promoter, filters."""

import math
from datetime import date

import pandas as pd
import pytest

from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import insert

YEAR = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


@pytest.fixture
def con():
    ws = Workspace(":memory:")
    insert(
        ws,
        "nps",
        [
            {"responded_at": "2024-01-03", "score": 10, "customer_id": "C1"},
            {"responded_at": "2024-01-09", "score": 9, "customer_id": "C2"},
            {"responded_at": "2024-01-20", "score": 8},
            {"responded_at": "2024-01-31 23:59:00", "score": 3, "customer_id": "C1"},
            {"responded_at": "2024-02-14", "score": 9, "customer_id": "C2"},
        ],
    )
    insert(
        ws,
        "customers",
        [
            {"customer_id": "C1", "segment": "SMB", "phone": "138", "name": "Ann", "owner": "Li"},
            {"customer_id": "C2", "segment": "Ent", "referred_by": "C1"},
            {"customer_id": "C3", "segment": "SMB"},
        ],
    )
    insert(
        ws,
        "referrals",
        [
            {"referrer_id": "C1", "referred_at": "2024-02-01", "referred_customer_id": "C2"},
            {"referrer_id": "C1", "referred_at": "2024-03-01", "referred_customer_id": "C3"},
        ],
    )
    insert(
        ws,
        "orders",
        [
            {"customer_id": c, "order_date": d, "amount": a}
            for c, d, a in [
                ("C1", "2024-01-05", 100),
                ("C2", "2024-02-10", 50),
                ("C2", "2024-03-15", 30),
                ("C3", "2024-03-02", 20),
                ("C3", "2024-12-30", 5),
            ]
        ],
    )
    insert(
        ws,
        "tickets",
        [
            {
                "ticket_id": "T1",
                "customer_id": "C1",
                "opened_at": "2024-01-10",
                "resolved_at": "2024-01-12 12:00:00",
                "kind": "complaint",
            },
            {"ticket_id": "T2", "customer_id": "C2", "opened_at": "2024-02-11", "kind": "complaint"},
            {"ticket_id": "T3", "customer_id": "C3", "opened_at": "2024-02-11", "kind": "question"},
        ],
    )
    yield ws.cursor()
    ws.close()


def test_nps_monthly(con):
    df = run_query(con, "advocacy/nps_monthly", **YEAR)
    jan, feb = df.iloc[0], df.iloc[1]
    assert (jan.responses, jan.promoters, jan.passives, jan.detractors) == (4, 2, 1, 1)
    assert jan.nps == pytest.approx(25.0)
    se = math.sqrt((0.5 + 0.25 - 0.25**2) / 4)  # 0.414578
    assert jan.ci_low == pytest.approx(25 - 100 * 1.959964 * se)
    assert jan.ci_high == 100  # 106.26 clipped to the scale
    # One response, a promoter: NPS 100 with no spread.
    assert (feb.responses, feb.nps, feb.ci_low, feb.ci_high) == (1, 100, 100, 100)


def test_nps_with_a_segment_filter_keeps_linked_responses_only(con):
    df = run_query(con, "advocacy/nps_monthly", **YEAR, segment=["SMB"])
    assert df.responses.tolist() == [2] and df.nps.tolist() == [0.0]  # scores 10 and 3


def test_nps_by_segment(con):
    df = run_query(con, "advocacy/nps_by_group", **YEAR, group_by="segment")
    got = {
        (None if v != v or v is None else v): (r, n)
        for v, r, n in zip(df.group_value, df.responses, df.nps, strict=True)
    }
    assert got == {"SMB": (2, 0.0), "Ent": (2, 100.0), None: (1, 0.0)}  # the unlinked 8 is a passive
    assert df.is_small.all()


def test_referrals_monthly(con):
    df = run_query(con, "advocacy/referrals_monthly", **YEAR)
    assert [m.month for m in df.month] == [1, 2, 3, 12]
    assert df.referrals.tolist() == [0, 1, 1, 0]
    assert df.new_customers.tolist() == [1, 1, 1, 0] and df.referred_new_customers.tolist() == [0, 1, 1, 0]
    assert df.referred_share.tolist()[:3] == [0, 1, 1] and pd.isna(df.referred_share.iloc[3])
    assert [float(v) for v in df.revenue] == [100, 50, 50, 5]
    assert df.referred_revenue_share.tolist() == [0, 1, 1, 1]


def test_top_referrers_and_rate_by_category(con):
    top = run_query(con, "advocacy/top_referrers", **YEAR).iloc[0]
    assert (top.customer_id, top.referrals, top.referred_customers, float(top.referred_revenue), top.latest_nps) == (
        "C1",
        2,
        2,
        105.0,
        3,
    )
    assert (top["name"], top.owner) == ("Ann", "Li")
    rate = run_query(con, "advocacy/referral_rate_by_nps", **YEAR).set_index("category")
    assert rate.customers.to_dict() == {"promoter": 1, "detractor": 1}  # C2's 9, C1's latest 3
    assert rate.referral_rate.to_dict() == {"promoter": 0.0, "detractor": 1.0}


def test_complaint_recovery(con):
    df = run_query(con, "advocacy/complaint_recovery", **YEAR).set_index("outcome")
    assert df.complaints.to_dict() == {"resolved": 1, "unresolved": 1}  # T3 is a question
    assert df.median_days_to_resolve["resolved"] == 2.5
    assert df.followed_complaints.to_dict() == {"resolved": 1, "unresolved": 1}
    # C1 never ordered after 1/12; C2 ordered on 3/15, within 90 days of its open complaint.
    assert df.repurchase_rate.to_dict() == {"resolved": 0.0, "unresolved": 1.0}


def test_detractor_followup(con):
    df = run_query(con, "advocacy/detractor_followup", end=YEAR["end"])
    assert df.customer_id.tolist() == ["C1"] and df.score.tolist() == [3] and df.phone.tolist() == ["138"]


def test_latest_answer_ties_at_the_same_time_are_settled_by_response_id():
    # K1 answered twice at the same moment (a date-only export): R2 is the later id, so its 3 is the latest answer,
    # on every run; K2's 10 came after its 2.
    ws = Workspace(":memory:")
    insert(
        ws,
        "nps",
        [
            {"response_id": "R1", "customer_id": "K1", "responded_at": "2024-06-01", "score": 9},
            {"response_id": "R2", "customer_id": "K1", "responded_at": "2024-06-01", "score": 3},
            {"response_id": "R3", "customer_id": "K2", "responded_at": "2024-05-01", "score": 2},
            {"response_id": "R4", "customer_id": "K2", "responded_at": "2024-05-02", "score": 10},
        ],
    )
    insert(ws, "customers", [{"customer_id": "K1"}, {"customer_id": "K2"}])
    for _ in range(3):
        df = run_query(ws.cursor(), "advocacy/detractor_followup", end=YEAR["end"])
        assert df.customer_id.tolist() == ["K1"] and df.score.tolist() == [3]
    profile = run_query(ws.cursor(), "customer/profile", customer_id="K1", end=YEAR["end"])
    assert profile.latest_nps.tolist() == [3]


def test_nps_summary_counts_every_response_once(con):
    # Jan: 4 answers, 2 promoters, 1 detractor; Feb: 1 promoter. 5 answers: 3 promoters, 1 detractor -> 40.
    s = run_query(con, "advocacy/nps_summary", **YEAR).iloc[0]
    assert (s.responses, s.promoters, s.detractors) == (5, 3, 1)
    assert (s.promoter_share, s.detractor_share, s.nps) == pytest.approx((0.6, 0.2, 40.0))
    smb = run_query(con, "advocacy/nps_summary", **YEAR, segment=["SMB"]).iloc[0]
    assert (smb.responses, smb.nps) == (2, 0.0)  # scores 10 and 3
    none = run_query(con, "advocacy/nps_summary", start=date(2030, 1, 1), end=date(2030, 12, 31)).iloc[0]
    assert none.responses == 0 and pd.isna(none.nps) and pd.isna(none.promoter_share)


def test_referral_summary_sums_the_months(con):
    # The months above: referrals 0+1+1+0, new customers 1+1+1+0 of which 0+1+1 referred; revenue 100+50+50+5,
    # referred 0+50+50+5.
    s = run_query(con, "advocacy/referral_summary", **YEAR).iloc[0]
    assert (s.referrals, s.new_customers, s.referred_new_customers) == (2, 3, 2)
    assert (float(s.revenue), float(s.referred_revenue)) == (205, 105)
    assert (s.referred_share, s.referred_revenue_share) == pytest.approx((2 / 3, 105 / 205))
