"""Issue 21 item 2: one load command is one change: each table holds exactly its files' rows, one undo step."""

import glob

import pandas as pd

from dashboard.cli import main
from dashboard.config import SAMPLES_DIR
from dashboard.workspace import Workspace

ORDERS_A = "order_id,customer_id,order_date,amount\nA1,C1,2024-01-05,10\nA2,C2,2024-01-06,20\n"
ORDERS_B = "order_id,customer_id,order_date,amount\nB1,C3,2024-02-05,30\nA2,C2,2024-01-06,25\n"
CUSTOMERS = "customer_id,name,region\nC1,Ann,East\nC2,Bo,West\n"


def counts(path):
    ws = Workspace(path)
    try:
        return ws.row_counts(), len(ws.history())
    finally:
        ws.close()


def rows(path, sql):
    ws = Workspace(path)
    try:
        return ws.cursor().execute(sql).fetchall()
    finally:
        ws.close()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_every_sample_with_replace_twice_gives_each_table_exactly_its_file(tmp_path):
    ws = str(tmp_path / "w.duckdb")
    files = sorted(glob.glob(str(SAMPLES_DIR / "*.csv")))
    assert main(["load", "auto", *files, "--replace", "--workspace", ws]) == 0
    first, _ = counts(ws)
    assert main(["load", "auto", *files, "--replace", "--workspace", ws]) == 0
    second, _ = counts(ws)
    expected = {p.split("/")[-1][:-4]: len(pd.read_csv(p, dtype=str)) for p in files}
    assert first == second == expected


def test_several_files_of_one_table_replace_it_together_however_often_run(tmp_path):
    ws = str(tmp_path / "w.duckdb")
    a, b = write(tmp_path, "a.csv", ORDERS_A), write(tmp_path, "b.csv", ORDERS_B)
    for _ in range(2):
        assert main(["load", "orders", a, b, "--replace", "--workspace", ws]) == 0
        # The later file updates the order both files hold (A2), as an append does.
        got = rows(ws, "SELECT order_id, amount::VARCHAR FROM orders ORDER BY order_id")
        assert got == [("A1", "10.00"), ("A2", "25.00"), ("B1", "30.00")]


def test_a_failed_file_leaves_its_table_as_it_was_and_the_exit_status_says_so(tmp_path, capsys):
    ws = str(tmp_path / "w.duckdb")
    assert main(["load", "orders", write(tmp_path, "a.csv", ORDERS_A), "--workspace", ws]) == 0
    before = rows(ws, "SELECT * FROM orders ORDER BY order_id")
    empty, new = write(tmp_path, "empty.csv", ""), write(tmp_path, "new.csv", ORDERS_B)
    for files in (
        [empty, new],
        [new, empty],
        [new, write(tmp_path, "bad.csv", "order_id,customer_id,order_date,amount\nX,C,never,1\n")],
    ):
        assert main(["load", "orders", *files, "--replace", "--workspace", ws]) == 1
        assert rows(ws, "SELECT * FROM orders ORDER BY order_id") == before
    assert "The orders table was left as it was" in capsys.readouterr().err


def test_a_failed_file_of_one_table_does_not_stop_the_others(tmp_path):
    ws = str(tmp_path / "w.duckdb")
    customers = write(tmp_path, "customers.csv", CUSTOMERS)
    bad_orders = write(tmp_path, "orders.csv", "order_id,customer_id,order_date,amount\nX,C,never,1\n")
    assert main(["load", "auto", customers, bad_orders, "--workspace", ws]) == 1
    assert counts(ws)[0]["customers"] == 2 and counts(ws)[0]["orders"] == 0


def test_under_auto_a_file_that_cannot_be_read_holds_back_every_table(tmp_path, capsys):
    ws = str(tmp_path / "w.duckdb")
    customers = write(tmp_path, "customers.csv", CUSTOMERS)
    assert main(["load", "auto", customers, str(tmp_path / "feb.csv"), "--workspace", ws]) == 1
    assert counts(ws) == ({t: 0 for t in counts(ws)[0]}, 0)
    assert "which table it belongs to is unknown" in capsys.readouterr().err


def test_one_command_is_one_undo_step(tmp_path):
    ws_path = str(tmp_path / "w.duckdb")
    old = write(tmp_path, "old.csv", "customer_id,name\nC9,Old\n")
    assert main(["load", "customers", old, "--workspace", ws_path]) == 0
    files = [write(tmp_path, "orders.csv", ORDERS_A), write(tmp_path, "customers.csv", CUSTOMERS)]
    assert main(["load", "auto", *files, "--workspace", ws_path]) == 0
    ws = Workspace(ws_path)
    try:
        history = ws.history()
        assert history["batch_id"].iloc[0] == history["batch_id"].iloc[1] != history["batch_id"].iloc[2]
        version = ws.version
        assert ws.undo_last("customers") is True
        assert ws.row_counts()["orders"] == 0
        assert ws.cursor().execute("SELECT customer_id FROM customers").fetchall() == [("C9",)]
        assert ws.version == version + 1
        assert ws.history()["status"].tolist() == ["undone", "undone", "final"]
    finally:
        ws.close()


def test_a_later_load_of_one_of_its_tables_ends_a_commands_undo(tmp_path):
    ws_path = str(tmp_path / "w.duckdb")
    files = [write(tmp_path, "orders.csv", ORDERS_A), write(tmp_path, "customers.csv", CUSTOMERS)]
    assert main(["load", "auto", *files, "--workspace", ws_path]) == 0
    assert main(["load", "customers", write(tmp_path, "c2.csv", "customer_id\nC5\n"), "--workspace", ws_path]) == 0
    ws = Workspace(ws_path)
    try:
        # The command's copy of customers is gone: undoing its orders alone would undo half a command.
        assert ws.undo_last("orders") is False
        assert ws.undo_last("customers") is True
        assert ws.row_counts()["orders"] == 2 and ws.row_counts()["customers"] == 2
    finally:
        ws.close()


def test_a_database_failure_names_its_cause_and_changes_nothing(tmp_path, capsys):
    ws = str(tmp_path / "w.duckdb")
    assert main(["load", "orders", write(tmp_path, "a.csv", ORDERS_A), "--workspace", ws]) == 0
    before = rows(ws, "SELECT * FROM orders ORDER BY order_id")
    # Each amount fits its column; their total per customer does not.
    huge = "customer_id,order_date,amount\nC1,2024-01-05,9999999999999999.99\nC1,2024-01-06,9999999999999999.99\n"
    assert main(["load", "orders", write(tmp_path, "huge.csv", huge), "--workspace", ws]) == 1
    err = capsys.readouterr().err
    assert "too large to store" in err and "aborted" not in err
    assert rows(ws, "SELECT * FROM orders ORDER BY order_id") == before


def test_auto_never_takes_an_export_lacking_a_required_field_for_another_table(tmp_path, capsys):
    ws = str(tmp_path / "w.duckdb")
    assert main(["load", "auto", write(tmp_path, "c.csv", CUSTOMERS), "--workspace", ws]) == 0
    before = rows(ws, "SELECT * FROM customers ORDER BY customer_id")
    orders_without_amount = write(tmp_path, "orders_2024.csv", "order_id,customer_id,order_date\nX,C9,2024-01-01\n")
    assert main(["load", "auto", orders_without_amount, "--workspace", ws]) == 1
    assert "amount" in capsys.readouterr().err
    assert rows(ws, "SELECT * FROM customers ORDER BY customer_id") == before
