"""The scope blocks every customer query builds on, worked out by hand on the small workspace (fixtures.py)."""

from datetime import date

import pytest

from dashboard.queries import run_query
from tests.queries.fixtures import small_orders


@pytest.fixture
def con():
    ws = small_orders()
    yield ws.cursor()
    ws.close()


@pytest.mark.parametrize(
    ("end", "filters", "expected"),
    [
        # Every customer: C4's 06-30 order is the last; C3's 2023-12-15 the first.
        (date(2024, 6, 30), {}, (date(2024, 6, 30), date(2023, 12, 15))),
        # The last order on or before the end, not the end itself.
        (date(2024, 6, 25), {}, (date(2024, 6, 20), date(2023, 12, 15))),
        (date(2024, 3, 1), {}, (date(2024, 2, 10), date(2023, 12, 15))),
        # Region East is C1 and C3; North is C2 alone; C4 is in no region (not in customers).
        (date(2024, 6, 30), {"region": ["East"]}, (date(2024, 6, 20), date(2023, 12, 15))),
        (date(2024, 6, 30), {"region": ["North"]}, (date(2024, 2, 1), date(2024, 2, 1))),
        # Nothing on or before the end: NULLs, still one row.
        (date(2023, 1, 1), {}, (None, None)),
    ],
)
def test_as_of_is_the_last_order_day_in_scope(con, end, filters, expected):
    df = run_query(con, "scope/as_of", end=end, **filters)
    assert len(df) == 1
    got = tuple(None if v is None or v != v else v.date() if hasattr(v, "date") else v for v in df.iloc[0])
    assert got == expected
