"""Downloads and the rejects file cannot carry live spreadsheet formulas, and numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from dashboard.export import csv_bytes, neutralise, write_csv, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://127.0.0.2:9/x","click")', "=1+2", "+1", "-12", "@SUM(A1)", "\tx", "\rx", "ok", None]
SAFE = ["'" + v for v in HOSTILE[:7]] + ["ok", None]


def frame() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            "name": pd.Series(HOSTILE, dtype="str"),
            "comment": pd.Series(HOSTILE, dtype=object),
            "orders": [-3] * n,
            "share": [-0.25] * n,
            "amount": [Decimal("-12.50")] * n,
            "first_order_date": [date(2026, 1, 5)] * n,
            "=region": ["a=b"] * n,
        }
    )


def test_text_cells_starting_a_formula_get_an_apostrophe():
    out = neutralise(frame())
    assert out["name"].tolist()[:8] == SAFE[:8] and pd.isna(out["name"].iloc[8])
    assert out["comment"].tolist()[:8] == SAFE[:8] and pd.isna(out["comment"].iloc[8])
    assert list(out.columns) == ["name", "comment", "orders", "share", "amount", "first_order_date", "'=region"]
    assert out["'=region"].tolist()[0] == "a=b"  # only a leading sign counts


def test_numbers_and_dates_keep_their_values_and_types():
    df = frame()
    out = neutralise(df)
    for col in ("orders", "share", "amount", "first_order_date"):
        assert out[col].dtype == df[col].dtype
        assert out[col].tolist() == df[col].tolist()
    assert isinstance(out["amount"].iloc[0], Decimal)
    mixed = neutralise(pd.DataFrame({"x": pd.Series([Decimal("-2"), "-2", -2], dtype=object)}))["x"].tolist()
    assert mixed == [Decimal("-2"), "'-2", -2]
    assert df["name"].iloc[0] == HOSTILE[0]  # the input is not changed


def test_csv_is_utf8_with_bom_and_neutralised(tmp_path):
    data = csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "comment", "orders", "share", "amount", "first_order_date", "'=region"]
    assert [r[0] for r in rows[1:]] == SAFE[:8] + [""]
    assert rows[1][2:6] == ["-3", "-0.25", "-12.50", "2026-01-05"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r[:2])
    path = write_csv(frame(), tmp_path / "rejected.csv")
    assert path.read_bytes() == data


def test_excel_has_no_formulas_and_numbers_stay_numbers():
    book = load_workbook(io.BytesIO(xlsx_bytes(frame())))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name", "comment", "orders", "share", "amount", "first_order_date", "'=region")
    # XML reads a carriage return as a line feed: the cell still starts with the apostrophe.
    assert [r[0] for r in rows[1:]] == [v and v.replace("\r", "\n") for v in SAFE]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert rows[1][2:5] == (-3, -0.25, -12.5)
    assert rows[1][5].date() == date(2026, 1, 5)


def test_excel_keeps_text_as_text_even_without_the_apostrophe():
    from dashboard import export

    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(pd.DataFrame({"a": ["ok"]})))).active
    assert sheet["A2"].value == "ok"
    # The writer on its own: a text starting with '=' is a string cell, and control characters are dropped.
    book = export.Workbook(write_only=True)
    ws = book.create_sheet()
    cell = export._excel_cell(ws, "=1+2\x01")
    assert cell.data_type == "s" and cell.value == "=1+2"
