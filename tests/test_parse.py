"""Per-column parsing of dates and amounts, run in DuckDB as the load path runs it."""

from datetime import datetime
from decimal import Decimal

import duckdb
import pytest

from dashboard.ingest.parse import date_norm_expr, detect_formats, number_expr, number_norm_expr, timestamp_expr


def parse_dates(values):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    fmt = detect_formats(con, "t", ["v"], [])["v"]
    rows = con.execute(
        f"SELECT {timestamp_expr('n', fmt)} FROM (SELECT i, {date_norm_expr('v')} AS n FROM t) ORDER BY i"
    ).fetchall()
    return [r[0] for r in rows], fmt


def parse_numbers(values):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    fmt = detect_formats(con, "t", [], ["v"])["v"]
    rows = con.execute(
        f"SELECT {number_expr('s', fmt, 'DECIMAL(18,2)')} FROM (SELECT i, {number_norm_expr('v')} "
        "AS s FROM t) ORDER BY i"
    ).fetchall()
    return [r[0] for r in rows], fmt


JAN5 = datetime(2024, 1, 5)


@pytest.mark.parametrize(
    "text", ["2024-01-05", "2024/1/5", "20240105", "2024年1月5日", "2024.1.5", "45296", " 2024-1-5 "]
)
def test_date_shapes(text):
    assert parse_dates([text])[0] == [JAN5]


def test_datetimes_keep_their_time():
    values, _ = parse_dates(["2024-01-05T13:45:00", "2024/1/5 9:05", "45296.5"])
    assert values == [datetime(2024, 1, 5, 13, 45), datetime(2024, 1, 5, 9, 5), datetime(2024, 1, 5, 12)]


def test_day_first_is_decided_by_the_column():
    values, fmt = parse_dates(["05/01/2024", "25/12/2023"])
    assert fmt.day_first is True and not fmt.ambiguous
    assert values == [JAN5, datetime(2023, 12, 25)]


def test_month_first_is_decided_by_the_column():
    values, fmt = parse_dates(["01/05/2024", "12/25/2023"])
    assert fmt.day_first is False
    assert values == [JAN5, datetime(2023, 12, 25)]


@pytest.mark.parametrize("pad", [" ", "\u3000", "  "])
def test_padded_values_vote_as_the_trimmed_ones(pad):
    # Only the 13 (a space or a full-width space before it, which trim removes) says day first.
    _, fmt = detect_formats_of([pad + "13/01/2024", "05/01/2024 ", "2024-01-05"], [])
    assert fmt.day_first is True and not fmt.ambiguous
    _, fmt = detect_formats_of([pad + "01/13/2024", "05/01/2024"], [])
    assert fmt.day_first is False
    _, fmt = detect_formats_of([], [pad + "12,5", "3" + pad])
    assert fmt.decimal_comma


def detect_formats_of(dates, numbers):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[v] for v in dates or numbers])
    return con, detect_formats(con, "t", ["v"] if dates else [], ["v"] if numbers else [])["v"]


def test_ambiguous_column_is_flagged():
    _, fmt = parse_dates(["05/01/2024", "06/02/2024"])
    assert fmt.ambiguous


def test_bad_dates_are_null_not_guessed():
    values, _ = parse_dates(["2024-02-30", "garbage", "", None, "13/13/2024"])
    assert values == [None, None, None, None, None]


def test_year_month_is_the_first_of_the_month():
    assert parse_dates(["2024-03", "2024年3月"])[0] == [datetime(2024, 3, 1)] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("￥1,234.50", "1234.50"),
        ("¥1,234.50", "1234.50"),
        ("$1,234", "1234.00"),
        ("(12.00)", "-12.00"),
        ("-5", "-5.00"),
        ("12-", "-12.00"),
        ("RMB 100", "100.00"),
        ("100元", "100.00"),
        (" 7 ", "7.00"),
        ("1'234.5", "1234.50"),
        ("0.005", "0.01"),
    ],
)
def test_amount_shapes_with_decimal_point(text, expected):
    values, fmt = parse_numbers([text, "1.50"])
    assert not fmt.decimal_comma
    assert values[0] == Decimal(expected)


def test_decimal_comma_column():
    values, fmt = parse_numbers(["1.234,50", "1 234,50", "12,5", "3", "(1.234,50)"])
    assert fmt.decimal_comma
    assert values == [Decimal("1234.50"), Decimal("1234.50"), Decimal("12.50"), Decimal("3.00"), Decimal("-1234.50")]


@pytest.mark.parametrize("text", ["abc", "12abc", "1e5", "--", "1.2.3,4,5.6"])
def test_non_numbers_are_null(text):
    assert parse_numbers([text, "1.50"])[0][0] is None
