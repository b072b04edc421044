"""customer/search, profile and timeline on a hand-made customer."""

from decimal import Decimal

import pytest

from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import insert


@pytest.fixture
def con():
    ws = Workspace(":memory:")
    insert(
        ws,
        "customers",
        [
            {"customer_id": "C1", "name": "Acme Trading", "segment": "SMB", "phone": "138"},
            {"customer_id": "C2", "name": "Beta Foods"},
        ],
    )
    insert(
        ws,
        "orders",
        [
            {
                "customer_id": "C1",
                "order_id": "O1",
                "order_date": "2024-01-05",
                "amount": 100,
                "gross_margin": 30,
                "category": "Software",
            },
            {"customer_id": "C1", "order_id": "O2", "order_date": "2024-03-01", "amount": -20, "category": "Hardware"},
            {"customer_id": "X9", "order_date": "2024-02-01", "amount": 5},
        ],
    )
    insert(
        ws,
        "nps",
        [
            {"customer_id": "C1", "responded_at": "2024-02-01", "score": 9},
            {"customer_id": "C1", "responded_at": "2024-04-01", "score": 4, "comment": "slow"},
        ],
    )
    insert(ws, "tickets", [{"ticket_id": "T1", "customer_id": "C1", "opened_at": "2024-04-02"}])
    insert(ws, "leads", [{"lead_id": "L1", "customer_id": "C1", "created_at": "2023-12-20", "channel": "Ads"}])
    insert(ws, "referrals", [{"referrer_id": "C1", "referred_at": "2024-05-01", "referred_customer_id": "C2"}])
    yield ws.cursor()
    ws.close()


def test_search_by_id_or_name(con):
    assert run_query(con, "customer/search", q="acme").customer_id.tolist() == ["C1"]
    assert run_query(con, "customer/search", q="x9").customer_id.tolist() == ["X9"]  # orders-only customers too
    assert run_query(con, "customer/search", q="c").customer_id.tolist()[0] == "C1"  # most revenue first
    assert run_query(con, "customer/search", q="  ").empty


def test_profile(con):
    row = run_query(con, "customer/profile", customer_id="C1").iloc[0]
    assert (row["name"], float(row.lifetime_revenue), float(row.lifetime_margin), row.orders) == (
        "Acme Trading",
        80.0,
        30.0,
        2,
    )
    assert (row.categories, row.nps_responses, row.latest_nps, row.referrals_made, row.open_tickets) == (
        "Hardware, Software",
        2,
        4,
        1,
        1,
    )
    assert run_query(con, "customer/profile", customer_id="nobody").empty


def test_timeline_newest_first(con):
    df = run_query(con, "customer/timeline", customer_id="C1")
    assert df.kind.tolist() == ["referral", "ticket", "nps", "order", "nps", "order", "lead"]
    assert df.amount.iloc[3] == Decimal("-20.00")
