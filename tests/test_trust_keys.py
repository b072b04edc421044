"""Issue 21 item 1: a row without its key is new; it never matches (and so never replaces) another row."""

import pytest

from tests.conftest import load

# (kind, header, a row with key K1, a row without its key, the column holding something unique per row)
FAMILY = [
    ("nps", "response_id,customer_id,responded_at,score", "R1,C1,2024-01-01,9", ",C{i},2024-01-0{i},{i}", "score"),
    ("orders", "order_id,customer_id,order_date,amount", "O1,C1,2024-01-01,1", ",C{i},2024-01-0{i},{i}", "amount"),
    ("tickets", "ticket_id,customer_id,opened_at", "T1,C1,2024-01-01", "TX{i},C{i},2024-01-0{i}", "customer_id"),
    ("customers", "customer_id,name", "C1,Ann", "C{i},Name {i}", "name"),
]


def rows(ws, kind):
    return ws.cursor().execute(f"SELECT count(*) FROM {kind}").fetchone()[0]


@pytest.mark.parametrize(("kind", "header", "keyed", "blank", "col"), FAMILY[:2])
def test_append_of_a_blank_key_row_replaces_nothing(ws, kind, header, keyed, blank, col):
    first = "\n".join([header, keyed, *(blank.format(i=i) for i in (2, 3, 4))]) + "\n"
    _, rec = load(ws, first, kind=kind)
    assert rec["rows_after"] == 4 and rec["rows_rejected"] == 0  # blank ids are not duplicates of each other
    _, rec = load(ws, f"{header}\n{blank.format(i=5)}\n", kind=kind, mode="append")
    assert rec["rows_replaced"] == 0
    assert rows(ws, kind) == 5
    values = sorted(str(v) for (v,) in ws.cursor().execute(f"SELECT {col} FROM {kind}").fetchall())
    assert len(set(values)) == 5


@pytest.mark.parametrize(("kind", "header", "keyed", "blank", "col"), FAMILY)
def test_append_of_a_keyed_row_still_updates_its_match(ws, kind, header, keyed, blank, col):
    load(ws, "\n".join([header, keyed, blank.format(i=2)]) + "\n", kind=kind)
    _, rec = load(ws, f"{header}\n{keyed}\n", kind=kind, mode="append")
    assert rec["rows_replaced"] == 1 and rec["rows_after"] == 2


def test_orders_with_blank_order_id_but_same_product_are_separate_lines(ws):
    header = "order_id,customer_id,order_date,amount,product"
    load(ws, f"{header}\n,C1,2024-01-01,5,Pen\n,C2,2024-01-01,6,Pen\n", kind="orders")
    _, rec = load(ws, f"{header}\n,C3,2024-01-02,7,Pen\n", kind="orders", mode="append")
    assert rec["rows_replaced"] == 0 and rec["rows_after"] == 3


def test_in_file_and_cross_load_duplicates_follow_one_rule(ws):
    header = "order_id,customer_id,order_date,amount,product"
    # In one file: the second O1/Pen line is a duplicate; O1 without a product is another line of O1.
    p, rec = load(ws, f"{header}\nO1,C1,2024-01-01,5,Pen\nO1,C1,2024-01-01,6,Pen\nO1,C1,2024-01-01,7,\n")
    assert set(p.problems()["reason"]) == {"reason_duplicate"} and rec["rows_after"] == 2
    # Appended: the same two keys update their rows, nothing else.
    _, rec = load(ws, f"{header}\nO1,C1,2024-01-01,8,Pen\nO1,C1,2024-01-01,9,\n", mode="append")
    assert rec["rows_replaced"] == 2 and rec["rows_after"] == 2
    got = sorted(ws.cursor().execute("SELECT product, amount::VARCHAR FROM orders").fetchall(), key=str)
    assert got == [("Pen", "8.00"), (None, "9.00")]
