"""Tiny hand-made workspaces; every expected number in the query tests is worked out from these by hand."""

from datetime import date

from dashboard.workspace import Workspace
from tests.conftest import insert

JAN1, JUN30 = date(2024, 1, 1), date(2024, 6, 30)


def small_orders() -> Workspace:
    """Four customers over the first half of 2024 (C3 also bought in Dec 2023; C4 is not in customers).

    C1: 2024-01-10 100 (margin 40), 2024-03-05 50, 2024-06-20 -20 (a refund)
    C2: 2024-02-01 200
    C3: 2023-12-15 30, 2024-02-10 70
    C4: 2024-06-30 10
    """
    ws = Workspace(":memory:")
    insert(
        ws,
        "orders",
        [
            {"customer_id": "C1", "order_date": "2024-01-10", "amount": 100, "gross_margin": 40, "category": "A"},
            {"customer_id": "C1", "order_date": "2024-03-05", "amount": 50, "category": "B"},
            {"customer_id": "C1", "order_date": "2024-06-20", "amount": -20, "category": "A"},
            {"customer_id": "C2", "order_date": "2024-02-01", "amount": 200, "category": "A"},
            {"customer_id": "C3", "order_date": "2023-12-15", "amount": 30, "category": "B"},
            {"customer_id": "C3", "order_date": "2024-02-10", "amount": 70, "category": "B"},
            {"customer_id": "C4", "order_date": "2024-06-30", "amount": 10, "category": "C"},
        ],
    )
    insert(
        ws,
        "customers",
        [
            {"customer_id": "C1", "region": "East", "segment": "SMB", "acquisition_channel": "Ads"},
            {"customer_id": "C2", "region": "North", "segment": "Enterprise", "acquisition_channel": "SEO"},
            {"customer_id": "C3", "region": "East", "segment": "SMB", "acquisition_channel": "SEO"},
        ],
    )
    return ws


def orders_of(values: list[float], day: str = "2024-03-01") -> Workspace:
    """One order per customer with the given values (customer K1, K2, ...)."""
    ws = Workspace(":memory:")
    insert(
        ws,
        "orders",
        [
            {"customer_id": f"K{i + 1}", "order_date": day, "amount": v, "gross_margin": v / 2}
            for i, v in enumerate(values)
        ],
    )
    return ws
