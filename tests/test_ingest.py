"""The load path end to end: recognition, mapping, validation report, atomic replace/append, undo, failures."""

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from dashboard.ingest import LoadError, commit, guess_kind, prepare
from dashboard.schema import TABLES
from dashboard.workspace import Workspace
from tests.conftest import load

ORDERS_ZH = (
    "订单编号,客户编号,订单日期,成交金额,毛利\n"
    'A1,00001,2024/1/5,"￥1,234.50",100\n'
    "A2,00002,2024年1月6日,(12.00),\n"
    "A3,00003,bad,5,x\n"
    "A1,00001,2024/1/5,1,1\n"
    "A4,,2024-01-07,3,1\n"
)


def table(ws, sql):
    return ws.cursor().execute(sql).fetchall()


def test_kind_recognised_from_chinese_headers():
    g = guess_kind(["订单编号", "客户编号", "订单日期", "成交金额", "毛利"])
    assert g.kind == "orders" and not g.missing
    assert g.mapping == {
        "订单编号": "order_id",
        "客户编号": "customer_id",
        "订单日期": "order_date",
        "成交金额": "amount",
        "毛利": "gross_margin",
    }


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["Customer ID", "Order Date", "Sales", "Profit", "Category", "Segment", "Region"], "orders"),
        (["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"], "orders"),
        (["Lead ID", "Created Date", "Lead Source", "Status"], "leads"),
        (["线索编号", "创建时间", "线索来源", "成交时间"], "leads"),
        (["Customer ID", "Customer Name", "Region", "Segment", "Phone"], "customers"),
        (["Month", "Channel", "Spend"], "ad_spend"),
        (["Response Date", "Score", "Comment"], "nps"),
        (["工单号", "客户编号", "受理时间", "解决时间"], "tickets"),
    ],
)
def test_kind_recognition_of_common_exports(headers, kind):
    assert guess_kind(headers).kind == kind


def test_report_lists_rejected_rows_with_row_column_and_reason(ws):
    prepared = prepare(ws, ORDERS_ZH.encode("gbk"), "订单.csv")
    assert (prepared.kind, prepared.rows_read, prepared.rows_ok, prepared.rows_rejected) == ("orders", 5, 2, 3)
    problems = prepared.problems()
    got = {(r.row, r.column, r.reason, r.severity) for r in problems.itertuples()}
    assert got == {
        (4, "订单日期", "reason_bad_date", "error"),
        (4, "毛利", "reason_bad_number", "warning"),
        (5, "订单编号", "reason_duplicate", "error"),
        (6, "客户编号", "reason_missing", "error"),
    }
    assert problems.loc[problems["reason"] == "reason_duplicate", "value"].item() == "row 2"


def test_loaded_rows_are_typed_canonical_fields(ws):
    load(ws, ORDERS_ZH.encode("gbk"), "订单.csv")
    rows = table(
        ws, "SELECT order_id, customer_id, order_date::VARCHAR, amount, gross_margin FROM orders ORDER BY order_id"
    )
    assert rows == [
        ("A1", "00001", "2024-01-05", Decimal("1234.50"), Decimal("100.00")),
        ("A2", "00002", "2024-01-06", Decimal("-12.00"), None),
    ]
    types = dict(table(ws, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders'"))
    assert types["order_date"] == "DATE" and types["amount"] == "DECIMAL(18,2)" and types["customer_id"] == "VARCHAR"


def test_long_numeric_ids_keep_their_exact_text(ws):
    load(ws, "customer_id,order_date,amount\n123456789012345678901,2024-01-05,1\n00042,2024-01-05,2\n")
    assert table(ws, "SELECT customer_id FROM orders ORDER BY amount") == [("123456789012345678901",), ("00042",)]


def test_amount_from_unit_price_times_quantity(ws):
    csv = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n5365,A,6,12/1/2010 8:26,2.55,17850\n"
    csv += "5366,B,1,12/13/2010 9:00,1.00,17850\n"  # a day above 12 settles the column: month first
    prepared, _ = load(ws, csv, "online_retail.csv")
    assert prepared.kind == "orders"
    assert table(ws, "SELECT amount, order_date::VARCHAR, customer_id FROM orders ORDER BY order_date") == [
        (Decimal("15.30"), "2010-12-01", "17850"),
        (Decimal("1.00"), "2010-12-13", "17850"),
    ]


def test_margin_from_cost(ws):
    load(ws, "customer_id,order_date,amount,cost\nC1,2024-01-05,100,60.5\n")
    assert table(ws, "SELECT gross_margin, cost FROM orders") == [(Decimal("39.50"), Decimal("60.50"))]


def test_replace_then_append_updates_rows_with_the_same_id(ws):
    load(ws, "lead_id,created_at,channel,stage\nL1,2024-01-01,Ads,Open\nL2,2024-01-02,Ads,Open\n")
    _, record = load(
        ws, "lead_id,created_at,channel,stage\nL2,2024-01-02,Ads,Won\nL3,2024-01-03,SEO,Open\n", mode="append"
    )
    assert record["rows_replaced"] == 1 and record["rows_after"] == 3
    assert table(ws, "SELECT lead_id, stage FROM leads ORDER BY lead_id") == [
        ("L1", "Open"),
        ("L2", "Won"),
        ("L3", "Open"),
    ]


def test_undo_restores_the_previous_table_and_history_shows_it(ws):
    load(ws, "customer_id,order_date,amount\nC1,2024-01-05,1\n")
    load(ws, "customer_id,order_date,amount\nC2,2024-01-05,2\nC3,2024-01-05,3\n")
    assert ws.undo_last("orders") is True
    assert table(ws, "SELECT customer_id FROM orders") == [("C1",)]
    assert ws.history()["status"].tolist() == ["undone", "final"]
    assert ws.undo_last("orders") is False  # only the newest load can be undone


def test_version_changes_with_every_load_and_undo(ws):
    v0 = ws.version
    load(ws, "customer_id,order_date,amount\nC1,2024-01-05,1\n")
    assert ws.version == v0 + 1
    ws.undo_last("orders")
    assert ws.version == v0 + 2


def test_same_file_again_is_noticed(ws):
    csv = "customer_id,order_date,amount\nC1,2024-01-05,1\n"
    load(ws, csv)
    assert prepare(ws, csv.encode(), "again.csv").already_loaded_at is not None


def test_nps_scores_outside_0_to_10_are_rejected(ws):
    prepared = prepare(
        ws,
        b"responded_at,score\n2024-01-05,10\n2024-01-05,11\n2024-01-05,-1\n2024-01-05,7.5\n2024-01-05,0\n",
        "nps.csv",
    )
    assert prepared.rows_ok == 2
    assert set(prepared.problems()["reason"]) == {"reason_score_range"}


BAD_INPUTS = {
    "empty file": (b"", None, "err_empty_file"),
    "header only": (b"customer_id,order_date,amount\n", None, "err_no_rows"),
    "no recognisable columns": (b"foo,bar\n1,2\n", "orders", "err_no_columns"),
    "required field missing": (b"customer_id,amount\nC1,3\n", "orders", "err_missing_required"),
    "wrong kind": (b"lead_id,created_at,channel\nL1,2024-01-01,Ads\n", "orders", "err_wrong_kind"),
    "not a workbook": (b"PK\x03\x04garbage", None, "err_unreadable"),
    "not a table": (b"\x00\x01\x02garbage\x00\x05" * 50, None, "err_not_a_table"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_a_clear_error_and_leaves_data_untouched(ws, case):
    load(ws, "customer_id,order_date,amount\nC1,2024-01-05,1.50\n")
    before = table(ws, "SELECT * FROM orders")
    version, history = ws.version, len(ws.history())
    data, kind, code = BAD_INPUTS[case]
    name = "x.xlsx" if case == "not a workbook" else "x.csv"
    with pytest.raises(LoadError) as e:
        prepared = prepare(ws, data, name, kind=kind)
        commit(ws, prepared)
    assert e.value.code == code
    assert table(ws, "SELECT * FROM orders") == before
    assert (ws.version, len(ws.history())) == (version, history)


def test_all_rows_invalid_loads_nothing(ws):
    load(ws, "customer_id,order_date,amount\nC1,2024-01-05,1.50\n")
    prepared = prepare(ws, b"customer_id,order_date,amount\nC2,not a date,1\n,2024-01-01,2\n", "x.csv")
    assert prepared.rows_ok == 0 and prepared.rows_rejected == 2
    with pytest.raises(LoadError) as e:
        commit(ws, prepared)
    assert e.value.code == "err_nothing_valid"
    assert table(ws, "SELECT customer_id FROM orders") == [("C1",)]


def test_truncated_file_loads_the_complete_rows_and_reports_the_cut_one(ws):
    prepared, record = load(ws, "customer_id,order_date,amount\nC1,2024-01-05,1\nC2,2024-01")
    assert record["rows_loaded"] == 1 and record["rows_rejected"] == 1
    assert prepared.problems()["reason"].tolist() == ["reason_field_count"]


def test_failure_during_the_swap_rolls_back_everything(tmp_path, monkeypatch):
    ws = Workspace(tmp_path / "w.duckdb")
    load(ws, "customer_id,order_date,amount\nC1,2024-01-05,1.50\n")
    before, version = table(ws, "SELECT * FROM orders"), ws.version
    prepared = prepare(ws, b"customer_id,order_date,amount\nC2,2024-01-06,2\nC3,someday,3\n", "x.csv")
    preview = prepared.preview()

    original = ws._bump

    def crash(con, table=None):
        original(con, table)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ws, "_bump", crash)
    with pytest.raises(RuntimeError):
        commit(ws, prepared)
    assert table(ws, "SELECT * FROM orders") == before
    assert ws.version == version and len(ws.history()) == 1
    # The prepared load is as it was (its rejected row too) and goes through once the fault is gone.
    pd.testing.assert_frame_equal(prepared.preview(), preview)
    assert preview["ok"].tolist() == [True, False]
    assert preview["order_date"].iloc[0] == date(2024, 1, 6) and pd.isna(preview["order_date"].iloc[1])
    monkeypatch.setattr(ws, "_bump", original)
    assert commit(ws, prepared)["rows_loaded"] == 1
    assert table(ws, "SELECT customer_id FROM orders") == [("C2",)]
    assert ws.undo_last("orders") and table(ws, "SELECT * FROM orders") == before
    ws.close()
    reopened = Workspace(tmp_path / "w.duckdb")
    assert table(reopened, "SELECT * FROM orders") == before
    reopened.close()


def test_mapping_can_be_edited(ws):
    csv = b"who,when,how much,note\nC1,2024-01-05,3,x\n"
    with pytest.raises(LoadError):
        prepare(ws, csv, "x.csv", kind="orders")
    prepared = prepare(
        ws, csv, "x.csv", kind="orders", mapping={"who": "customer_id", "when": "order_date", "how much": "amount"}
    )
    commit(ws, prepared)
    assert table(ws, "SELECT customer_id, amount FROM orders") == [("C1", Decimal("3.00"))]


def test_a_field_mapped_twice_is_refused(ws):
    with pytest.raises(LoadError) as e:
        prepare(
            ws,
            b"a,b,c\nC1,2024-01-05,3\n",
            "x.csv",
            kind="orders",
            mapping={"a": "customer_id", "b": "order_date", "c": "customer_id"},
        )
    assert e.value.code in ("err_field_twice", "err_missing_required")


def _stagings(ws):
    sql = "SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '_staging_')"
    return [r[0] for r in ws.cursor().execute(sql).fetchall()]


def test_a_staging_table_goes_on_cancel_on_commit_and_on_the_next_open(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    csv = b"customer_id,order_date,amount\nC1,2024-01-05,1\n"
    cancelled = prepare(ws, csv, "x.csv")
    assert _stagings(ws) == [cancelled.staging]
    cancelled.discard()
    assert _stagings(ws) == []
    # A replacing load becomes the table: nothing is left behind, and no row was copied to get there.
    commit(ws, prepare(ws, csv, "x.csv"))
    assert _stagings(ws) == [] and table(ws, "SELECT customer_id FROM orders") == [("C1",)]
    # A load its process left pending (neither committed nor cancelled) is dropped when the workspace opens.
    prepare(ws, csv, "x.csv")
    ws.close()
    reopened = Workspace(tmp_path / "w.duckdb")
    assert _stagings(reopened) == [] and table(reopened, "SELECT customer_id FROM orders") == [("C1",)]
    reopened.close()


def test_repeated_keys_are_rejected_after_the_first_valid_row(ws):
    csv = (
        "order_id,customer_id,order_date,amount,product\n"
        "O1,C1,2024-01-01,10,A\n"  # row 2: kept
        "O1,C1,2024-01-01,10,A\n"  # row 3: repeats row 2
        "O1,C1,2024-01-01,10,B\n"  # row 4: another product of the order, kept
        "O2,C1,not a date,10,\n"  # row 5: rejected for its date, so it is no first row
        "O2,C1,2024-01-02,10,\n"  # row 6: kept (no product: equal to another missing product)
        "O2,C1,2024-01-03,11,\n"  # row 7: repeats row 6
        ",C1,2024-01-04,12,A\n"  # row 8: no order id, never a duplicate
        ",C1,2024-01-04,12,A\n"  # row 9: the same
        "O1,C1,2024-01-05,10,A\n"  # row 10: repeats row 2
    )
    prepared = prepare(ws, csv.encode(), "orders.csv")
    problems = prepared.problems()
    dups = problems[problems["reason"] == "reason_duplicate"]
    assert sorted(zip(dups["row"], dups["value"], strict=True)) == [(3, "row 2"), (7, "row 6"), (10, "row 2")]
    assert set(problems.loc[problems["reason"] != "reason_duplicate", "row"]) == {5}
    record = commit(ws, prepared)
    prepared.discard()
    assert record["rows_loaded"] == 5
    amounts = ws.cursor().execute("SELECT order_id, product, amount FROM orders ORDER BY ALL").fetchall()
    assert amounts == [
        ("O1", "A", Decimal("10.00")),
        ("O1", "B", Decimal("10.00")),
        ("O2", None, Decimal("10.00")),
        (None, "A", Decimal("12.00")),
        (None, "A", Decimal("12.00")),
    ]


def test_dates_outside_1900_to_2100_are_reported_not_loaded(ws):
    # Year 0 and 9999 are typos or "no date" placeholders: a required date rejects the row, an optional one is
    # left empty with a warning; every row keeps its problem in the report.
    text = (
        "customer_id,order_date,amount\n"
        "C1,0000-01-05,1\nC2,9999-12-31,2\nC3,1899-12-31,3\nC4,1900-01-01,4\nC5,2100-12-31 23:59,5\nC6,2024-01-05,6\n"
    )
    prepared, record = load(ws, text)
    assert record["rows_loaded"] == 3 and record["rows_rejected"] == 3
    dates = table(ws, "SELECT order_date FROM orders ORDER BY order_date")
    assert [str(d) for (d,) in dates] == ["1900-01-01", "2024-01-05", "2100-12-31"]
    problems = prepared.problems()
    assert problems[["row", "value", "reason"]].values.tolist() == [
        [2, "0000-01-05", "reason_bad_date"],
        [3, "9999-12-31", "reason_bad_date"],
        [4, "1899-12-31", "reason_bad_date"],
    ]
    customers, _ = load(ws, "customer_id,created_at\nC1,0000-01-05\nC2,2023-11-10\n", "c.csv", kind="customers")
    assert table(ws, "SELECT customer_id, created_at FROM customers ORDER BY 1") == [
        ("C1", None),
        ("C2", datetime(2023, 11, 10)),
    ]
    assert customers.problems()[["row", "severity"]].values.tolist() == [[2, "warning"]]


def test_every_loaded_table_has_its_canonical_columns_and_types(demo_workspace):
    """A replacing load renames its staging table into place: it must come out exactly as the table is declared."""
    ws = Workspace(demo_workspace)
    con = ws.cursor()
    for name, spec in TABLES.items():
        columns = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $t"
        rows = con.execute(columns + " ORDER BY ordinal_position", {"t": name}).fetchall()
        assert rows == [(f.name, f.sql_type) for f in spec.stored_fields], name
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] > 0, name
    ws.close()


def test_missing_value_words_in_number_and_date_cells_are_empty_not_bad(ws):
    """nan, NULL, N/A, #N/A and None are how exports write 'no value': read as empty, never as a number."""
    csv = (
        "order_id,customer_id,order_date,amount,gross_margin,quantity,product\n"
        "O1,C1,2024-01-05,10,nan,nan,NA\n"  # optional number cells in words: empty, no warning; text kept
        "O2,C1,2024-01-06,NULL,1,2,\n"  # a required amount in words: missing, not 'not a number'
        "O3,C1,#N/A,5,N/A,inf,\n"  # a required date in words: missing; an infinite quantity is not a number
        "O4,C1,2024-01-07,5, None ,-Infinity,\n"
    )
    prepared, record = load(ws, csv, "orders.csv")
    problems = prepared.problems()
    assert sorted(zip(problems["row"], problems["field"], problems["reason"], strict=True)) == [
        (3, "amount", "reason_missing"),
        (4, "order_date", "reason_missing"),
        (4, "quantity", "reason_bad_number"),
        (5, "quantity", "reason_bad_number"),
    ]
    assert record["rows_loaded"] == 2
    rows = table(ws, "SELECT order_id, amount, gross_margin, quantity, product FROM orders ORDER BY order_id")
    assert rows == [("O1", Decimal("10.00"), None, None, "NA"), ("O4", Decimal("5.00"), None, None, None)]


def test_a_date_cell_saying_epoch_is_not_a_date(ws):
    """DuckDB reads the word 'epoch' as 1970-01-01; in an export it is text, while 1970-01-01 written out is a date."""
    csv = "customer_id,order_date,amount\nC1,epoch,1\nC2,1970-01-01,2\nC3, Epoch ,3\n"
    prepared, record = load(ws, csv, "orders.csv")
    problems = prepared.problems()
    reasons = list(zip(problems["row"], problems["reason"], strict=True))
    assert reasons == [(2, "reason_bad_date"), (4, "reason_bad_date")]
    assert table(ws, "SELECT customer_id, order_date FROM orders") == [("C2", date(1970, 1, 1))]
