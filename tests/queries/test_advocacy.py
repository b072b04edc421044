"""advocacy/nps_monthly by hand: a mixed month, a month with one promoter, filters."""

import math
from datetime import date

import pytest

from dashboard.queries import run_query
from dashboard.workspace import Workspace
from tests.conftest import insert

YEAR = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


@pytest.fixture
def con():
    ws = Workspace(":memory:")
    insert(ws, "nps", [
        {"responded_at": "2024-01-03", "score": 10, "customer_id": "C1"},
        {"responded_at": "2024-01-09", "score": 9, "customer_id": "C2"},
        {"responded_at": "2024-01-20", "score": 8},
        {"responded_at": "2024-01-31 23:59:00", "score": 3, "customer_id": "C1"},
        {"responded_at": "2024-02-14", "score": 9, "customer_id": "C2"},
    ])
    insert(ws, "customers", [{"customer_id": "C1", "segment": "SMB"}, {"customer_id": "C2", "segment": "Ent"}])
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
