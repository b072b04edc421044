"""investment/customer_quadrants and quadrant_summary, worked out by hand for five customers.

As of 2024-12-31. Segment S: A (wallet 1000), B (no wallet; spent 500 in 2023), D (wallet 2000, dormant);
segment T: E (wallet 5000); C has no segment and no wallet.
Estimated wallets: B = max(200 this year, 500 the year before, S median 200) = 500; C = max(50, 0) = 50.
Untapped: A 600, B 300, C 0, D 1920, E 3500 -> percent ranks A .5, B .25, C 0, D .75, E 1.
Cross-buy: S popular X (3/3), Y (1/3): A 0, B and D (1/3)/(4/3) = .25; T: E bought X and W: 0;
C (all customers): X .8, Y .2, Z .2, W .2 popular, C bought Z: 1.2 / 1.4.
Engagement in 90 days: A 1 order + 2 interactions = 3, B 1 order + 1 referral = 2, C 1 order, D 1 NPS answer,
E 1 order + 5 interactions = 6 -> ranks A .75, B .5, C 0, D 0, E 1.
Stages: A growth (300 vs 100), B growth (200 vs 0), C new, D dormant, E growth (1000 vs 500).
Every test runs twice: as the data stands (the as-of date 2024-12-30 is the data's last order day, so the spend
windows are read from the table the load stored, marts/customer_windows) and with one more order of A's after the
period (2025-02-01), so the same looks are computed from the order days.
"""

from datetime import date

import pytest

from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import insert

AS_OF = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


def build(categories: bool = True, later_order: bool = False) -> Workspace:
    ws = Workspace(":memory:")
    rows = [("A", "2025-02-01", 70, "Y")] if later_order else []
    rows += [
        ("A", "2024-12-01", 300, "X"),
        ("A", "2024-06-01", 100, "Y"),
        ("B", "2023-03-01", 500, "X"),
        ("B", "2024-11-15", 200, "X"),
        ("C", "2024-12-20", 50, "Z"),
        ("D", "2024-01-10", 80, "X"),
        ("E", "2024-12-30", 1000, "X"),
        ("E", "2024-05-01", 500, "W"),
    ]
    insert(
        ws,
        "orders",
        [
            {"customer_id": c, "order_date": d, "amount": a, "category": k if categories else None}
            for c, d, a, k in rows
        ],
    )
    insert(
        ws,
        "customers",
        [
            {"customer_id": "A", "segment": "S", "wallet": 1000, "phone": "138"},
            {"customer_id": "B", "segment": "S"},
            {"customer_id": "C"},
            {"customer_id": "D", "segment": "S", "wallet": 2000},
            {"customer_id": "E", "segment": "T", "wallet": 5000},
        ],
    )
    insert(
        ws,
        "interactions",
        [{"customer_id": "A", "occurred_at": d, "kind": "call"} for d in ("2024-11-01", "2024-12-15", "2024-09-01")]
        + [{"customer_id": "E", "occurred_at": f"2024-12-0{i}", "kind": "visit"} for i in range(1, 6)],
    )
    insert(ws, "nps", [{"customer_id": "D", "responded_at": "2024-12-10", "score": 9}])
    insert(ws, "referrals", [{"referrer_id": "B", "referred_at": "2024-12-05", "referred_customer_id": "Z9"}])
    return ws


@pytest.fixture(params=["stored", "computed"])
def ws(request):
    w = build(later_order=request.param == "computed")
    yield w
    w.close()


def quadrants(ws, **params):
    return run_query(ws.cursor(), "investment/customer_quadrants", **{**AS_OF, **params}).set_index("customer_id")


def test_looks(ws):
    df = quadrants(ws)
    assert df.wallet.to_dict() == {"A": 1000, "B": 500, "C": 50, "D": 2000, "E": 5000}
    assert df.wallet_source.to_dict() == {"A": "given", "B": "estimated", "C": "estimated", "D": "given", "E": "given"}
    assert df.untapped_wallet.to_dict() == {"A": 600, "B": 300, "C": 0, "D": 1920, "E": 3500}
    assert df.share_of_wallet.to_dict() == pytest.approx({"A": 0.4, "B": 0.4, "C": 1.0, "D": 0.04, "E": 0.3})
    assert df.untapped_rank.to_dict() == pytest.approx({"A": 0.5, "B": 0.25, "C": 0, "D": 0.75, "E": 1})
    assert df.cross_buy.to_dict() == pytest.approx({"A": 0, "B": 0.25, "C": 1.2 / 1.4, "D": 0.25, "E": 0})
    assert df.engagement.to_dict() == {"A": 3, "B": 2, "C": 1, "D": 1, "E": 6}
    assert df.engagement_rank.to_dict() == pytest.approx({"A": 0.75, "B": 0.5, "C": 0, "D": 0, "E": 1})
    assert df.stage.to_dict() == {"A": "growth", "B": "growth", "C": "new", "D": "dormant", "E": "growth"}


def test_scores_and_quadrants(ws):
    df = quadrants(ws)
    assert df.value_potential.to_dict() == pytest.approx(
        {"A": 25, "B": 25, "C": 100 * (1.2 / 1.4) / 2, "D": 50, "E": 50}
    )
    assert df.momentum.to_dict() == pytest.approx({"A": 87.5, "B": 75, "C": 35, "D": 5, "E": 100})
    assert df.score.to_dict() == pytest.approx(
        {"A": 56.25, "B": 50, "C": 100 * (1.2 / 1.4 + 0.7) / 4, "D": 27.5, "E": 75}
    )
    assert df.quadrant.to_dict() == {
        "A": "cash_cow",
        "B": "cash_cow",
        "C": "low_efficiency",
        "D": "sleeping_gold",
        "E": "growth_stock",
    }
    assert list(df.index) == ["E", "A", "B", "C", "D"]  # ranked by score


def test_weights_splits_and_stage_factors_move_customers(ws):
    df = quadrants(ws, x_split=90)
    assert df.quadrant["A"] == "low_efficiency"  # momentum 87.5 < 90
    df = quadrants(ws, w_engagement=0, f_dormant=0.9)
    assert df.momentum["D"] == pytest.approx(90)  # only the stage look, dormant now worth 0.9
    assert df.quadrant["D"] == "growth_stock"


def test_an_axis_whose_looks_all_weigh_zero_is_null_and_so_is_the_quadrant(ws):
    zero = {"w_wallet": 0, "w_cross": 0, "w_engagement": 0, "w_stage": 0}
    df = quadrants(ws, **zero)
    assert df[["value_potential", "momentum", "score", "quadrant"]].isna().all().all()
    # Momentum alone weightless: value potential and the score keep their value-look means, nobody has a quadrant.
    df = quadrants(ws, w_engagement=0, w_stage=0)
    assert df.momentum.isna().all() and df.quadrant.isna().all()
    assert df.value_potential.to_dict() == pytest.approx(
        {"A": 25, "B": 25, "C": 100 * (1.2 / 1.4) / 2, "D": 50, "E": 50}
    )
    assert df.score.to_dict() == df.value_potential.to_dict()
    summary = run_query(ws.cursor(), "investment/quadrant_summary", **AS_OF, **zero)
    assert summary.customers.tolist() == [0, 0, 0, 0]


def test_without_cross_buy_data_a_zero_wallet_weight_leaves_value_potential_null():
    ws = build(categories=False)
    df = quadrants(ws, w_wallet=0)
    assert df.value_potential.isna().all() and df.quadrant.isna().all()
    assert df.momentum.to_dict() == pytest.approx({"A": 87.5, "B": 75, "C": 35, "D": 5, "E": 100})
    ws.close()


def test_without_category_data_cross_buy_is_left_out():
    ws = build(categories=False)
    df = quadrants(ws)
    assert df.cross_buy.isna().all()
    assert df.value_potential.to_dict() == pytest.approx({"A": 50, "B": 25, "C": 0, "D": 75, "E": 100})
    assert df.score["A"] == pytest.approx(100 * (0.5 + 0.75 + 1) / 3)
    ws.close()


def test_summary_matches_the_customers(ws):
    df = run_query(ws.cursor(), "investment/quadrant_summary", **AS_OF).set_index("quadrant")
    assert list(df.index) == ["growth_stock", "cash_cow", "sleeping_gold", "low_efficiency"]
    assert df.customers.to_dict() == {"growth_stock": 1, "cash_cow": 2, "sleeping_gold": 1, "low_efficiency": 1}
    assert df.revenue_12m.astype(float).to_dict() == {
        "growth_stock": 1500,
        "cash_cow": 600,
        "sleeping_gold": 80,
        "low_efficiency": 50,
    }
    assert df.revenue_share["growth_stock"] == pytest.approx(1500 / 2230)
    assert df.untapped_wallet.to_dict() == {
        "growth_stock": 3500,
        "cash_cow": 900,
        "sleeping_gold": 1920,
        "low_efficiency": 0,
    }
    assert df.avg_score["cash_cow"] == pytest.approx((56.25 + 50) / 2)
    # Every customer here has a cross-buy look (C through the all-customers group).
    assert df.with_cross_buy.to_dict() == {"growth_stock": 1, "cash_cow": 2, "sleeping_gold": 1, "low_efficiency": 1}


def test_summary_counts_no_cross_buy_without_categories():
    ws = build(categories=False)
    df = run_query(ws.cursor(), "investment/quadrant_summary", **AS_OF)
    assert df.with_cross_buy.tolist() == [0, 0, 0, 0]
    ws.close()


def test_one_quadrant_one_customer_and_a_limit(ws):
    con = ws.cursor()
    cows = run_query(con, "investment/customer_quadrants", **AS_OF, quadrant="cash_cow")
    assert cows.customer_id.tolist() == ["A", "B"]  # by score: A 56.25, B 50
    top = run_query(con, "investment/customer_quadrants", **AS_OF, limit=2)
    assert top.customer_id.tolist() == ["E", "A"]
    d = run_query(con, "investment/customer_quadrants", **AS_OF, customer_id="D")
    # D's looks are ranked among all five customers, not alone.
    assert d.customer_id.tolist() == ["D"] and d.untapped_rank.tolist() == pytest.approx([0.75])
    assert d.quadrant.tolist() == ["sleeping_gold"]
    assert run_query(con, "investment/customer_quadrants", **AS_OF, customer_id="nobody").empty


def test_region_filter_scopes_customers(ws):
    df = quadrants(ws, segment=["T"])
    assert list(df.index) == ["E"]


def test_the_blocks_of_the_looks(ws):
    con = ws.cursor()
    ids = dict(con.execute("SELECT ck, customer_id FROM _customer_keys").fetchall())

    def block(name: str):
        df = run_query(con, f"investment/{name}", end=AS_OF["end"])
        return df.assign(customer_id=df.ck.map(ids)).set_index("customer_id").sort_index()

    spend = block("customer_spend")
    as_float = {c: spend[c].astype(float).to_dict() for c in spend.columns if c.startswith(("spend", "revenue"))}
    # Windows as of 2024-12-30: 12 months from 2023-12-31, 6 months from 2024-07-01 (the 6 before from 2024-01-01).
    assert as_float["spend_12m"] == {"A": 400, "B": 200, "C": 50, "D": 80, "E": 1500}
    assert as_float["spend_prior_12m"] == {"A": 0, "B": 500, "C": 0, "D": 0, "E": 0}
    assert as_float["spend_6m"] == {"A": 300, "B": 200, "C": 50, "D": 0, "E": 1000}
    assert as_float["spend_prior_6m"] == {"A": 100, "B": 0, "C": 0, "D": 80, "E": 500}
    assert as_float["revenue_to_date"] == {"A": 400, "B": 700, "C": 50, "D": 80, "E": 1500}
    assert spend.orders_90d.to_dict() == {"A": 1, "B": 1, "C": 1, "D": 0, "E": 1}
    assert spend.last_order_date.dt.date.to_dict()["A"] == date(2024, 12, 1)  # not the later order
    assert spend.untapped_rank.to_dict() == pytest.approx({"A": 0.5, "B": 0.25, "C": 0, "D": 0.75, "E": 1})

    cross = block("cross_buy")
    assert cross.cross_buy.to_dict() == pytest.approx({"A": 0, "B": 0.25, "C": 1.2 / 1.4, "D": 0.25, "E": 0})

    engagement = block("engagement")
    assert engagement.engagement.to_dict() == {"A": 3, "B": 2, "C": 1, "D": 1, "E": 6}
    assert engagement.engagement_rank.to_dict() == pytest.approx({"A": 0.75, "B": 0.5, "C": 0, "D": 0, "E": 1})


def test_the_period_revenue_starts_at_the_period_start(ws):
    df = quadrants(ws, start=date(2024, 6, 1))
    # A: 100 on 06-01 and 300 on 12-01; B's 2023 order and D's January one are before the start.
    assert df.revenue_period.astype(float).to_dict() == {"A": 400, "B": 200, "C": 50, "D": 0, "E": 1000}
    df = quadrants(ws, start=date(2024, 6, 2))
    assert df.revenue_period.astype(float).to_dict()["A"] == 300


def test_the_load_stores_the_windows_as_of_the_data_s_last_order_day():
    ws = build()
    con = ws.cursor()
    stored = con.execute(
        "SELECT k.customer_id, w.as_of_date, w.spend_12m::DOUBLE FROM _customer_windows w JOIN _customer_keys k "
        "USING (ck) ORDER BY 1"
    ).fetchall()
    last = date(2024, 12, 30)
    assert stored == [("A", last, 400), ("B", last, 200), ("C", last, 50), ("D", last, 80), ("E", last, 1500)]
    # The looks read them: a stored figure changed by hand shows; computed from the days, it would not.
    con.execute("UPDATE _customer_windows SET spend_12m = spend_12m + 1000 WHERE ck = 1")
    assert quadrants(ws).revenue_12m.astype(float)["A"] == 1400
    # An earlier period end (as of E's 2024-12-30 no more) computes them.
    assert quadrants(ws, end=date(2024, 12, 29)).revenue_12m.astype(float)["A"] == 400
    # A new order rebuilds them as of its day.
    insert(ws, "orders", [{"customer_id": "C", "order_date": "2025-01-05", "amount": 20}])
    assert con.execute("SELECT DISTINCT as_of_date FROM _customer_windows").fetchall() == [(date(2025, 1, 5),)]
    ws.close()


def test_stage_factors_default_and_given():
    ws = Workspace(":memory:")
    df = run_query(ws.cursor(), "investment/stage_factors", f_growth=0.9, f_dormant=0.0)
    ws.close()
    assert df["stage"].tolist() == ["new", "growth", "mature", "decline", "dormant"]
    assert df["default_factor"].tolist() == [0.7, 1.0, 0.5, 0.3, 0.1]
    assert df["factor"].tolist() == [0.7, 0.9, 0.5, 0.3, 0.0]
