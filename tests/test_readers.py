"""Readers: encodings, delimiters, quoting, Excel, Parquet, and text kept exactly as written."""

import hashlib
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.ingest.readers import ReadError, detect_encoding, read_any, read_text, scan_file, sniff_delimiter

HEADER = "客户编号,订单日期,成交金额"
ROWS = ["00001,2024/1/5,12.50", "123456789012345678,2024-01-06,7"]


def _csv(sep=","):
    return "\n".join([HEADER.replace(",", sep)] + [r.replace(",", sep) for r in ROWS]) + "\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_encodings_are_detected_and_decoded(encoding, expected):
    raw = read_text(_csv().encode(encoding))
    assert raw.encoding == expected
    assert raw.table.column_names == ["客户编号", "订单日期", "成交金额"]
    assert raw.table.column("客户编号").to_pylist() == ["00001", "123456789012345678"]


def test_utf16_tab_text_as_excel_unicode_text_writes_it():
    raw = read_text(_csv("\t").encode("utf-16-le"))  # Excel's "Unicode text": UTF-16 LE, tabs
    assert raw.delimiter == "\t"
    assert raw.table.column("成交金额").to_pylist() == ["12.50", "7"]


def test_gbk_file_whose_first_block_is_ascii_still_decodes():
    body = "id,name\n" + "\n".join(f"{i},x" for i in range(20000)) + "\n99999,张三\n"
    raw = read_text(body.encode("gbk"))
    assert raw.table.column("name").to_pylist()[-1] == "张三"


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters(sep):
    raw = read_text(_csv(sep).encode())
    assert raw.delimiter == sep
    assert raw.table.num_rows == 2


def test_semicolon_file_with_decimal_commas_is_not_mistaken_for_commas():
    text = "id;amount\n1;1.234,50\n2;12,00\n"
    assert sniff_delimiter(text) == ";"


def test_whitespace_aligned_columns():
    text = "id      date          amount\n0001    2024-01-05    1 234,50\n0002    2024-01-06    7\n"
    raw = read_text(text.encode())
    assert raw.delimiter == "aligned"
    assert raw.table.to_pylist() == [
        {"id": "0001", "date": "2024-01-05", "amount": "1 234,50"},
        {"id": "0002", "date": "2024-01-06", "amount": "7"},
    ]


def test_quoted_fields_with_embedded_newlines_and_delimiters():
    raw = read_text(b'id,note,amount\n1,"line one\nline two, with comma",3\n2,plain,4\n')
    assert raw.table.column("note").to_pylist() == ["line one\nline two, with comma", "plain"]


def test_truncated_last_row_is_reported_not_dropped():
    raw = read_text(b"id,date,amount\n1,2024-01-01,3\n2,2024-01")
    assert raw.table.num_rows == 1
    assert len(raw.bad_rows) == 1 and raw.bad_rows[0][1] == "reason_field_count"


def test_file_cut_inside_quotes_reports_last_row():
    raw = read_text(b'id,note\n1,"ok"\n2,"abc')
    assert raw.table.column("id").to_pylist() == ["1"]
    assert raw.bad_rows == [(3, "reason_truncated", '2,"abc')]


def test_duplicate_and_blank_headers_get_unique_names():
    raw = read_text(b"a,a,\n1,2,3\n")
    assert raw.table.column_names == ["a", "a_2", "column_3"]


def test_empty_file_is_an_error():
    with pytest.raises(ReadError) as e:
        read_any(b"", "x.csv")
    assert e.value.code == "err_empty_file"
    with pytest.raises(ReadError):
        read_any(b"\xef\xbb\xbf\r\n", "x.csv")


def test_excel_first_sheet_by_default_and_sheet_choice():
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Notes"
    ws.append(["just", "notes"])
    ws2 = wb.create_sheet("订单")
    ws2.append(["客户编号", "订单日期", "成交金额"])
    ws2.append(["00001", datetime(2024, 1, 5), 1234.5])
    ws2.append([1002, datetime(2024, 1, 6, 13, 30), 7])
    buf = io.BytesIO()
    wb.save(buf)
    first = read_any(buf.getvalue(), "book.xlsx")
    assert first.sheets == ["Notes", "订单"] and first.sheet == "Notes"
    raw = read_any(buf.getvalue(), "book.xlsx", sheet="订单")
    assert raw.table.to_pylist() == [
        {"客户编号": "00001", "订单日期": "2024-01-05", "成交金额": "1234.5"},
        {"客户编号": "1002", "订单日期": "2024-01-06 13:30:00", "成交金额": "7"},
    ]


def test_parquet_typed_columns_become_text():
    from datetime import date

    table = pa.table(
        {
            "customer_id": pa.array(["00001"]),
            "order_date": pa.array([date(2024, 1, 5)]),
            "amount": pa.array([12.5]),
            "big_id": pa.array([123456789012345678], pa.int64()),
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    raw = read_any(buf.getvalue(), "x.parquet")
    assert raw.table.to_pylist() == [
        {"customer_id": "00001", "order_date": "2024-01-05", "amount": "12.5", "big_id": "123456789012345678"}
    ]


def test_damaged_excel_is_a_read_error():
    with pytest.raises(ReadError) as e:
        read_any(b"PK\x03\x04 not really a workbook", "x.xlsx")
    assert e.value.code == "err_unreadable"


def test_detect_encoding_of_utf8_cut_mid_character():
    assert detect_encoding("编号".encode()[:-1]) == "utf-8"


def test_the_file_is_hashed_and_its_quotes_counted_while_it_is_read(tmp_path):
    data = b'id,note\n1,"ok"\n2,"abc'
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    for source in (path, data):
        raw = read_any(source, "cut.csv")
        assert raw.sha256 == hashlib.sha256(data).hexdigest()
        assert raw.bad_rows == [(3, "reason_truncated", '2,"abc')]
    scan = scan_file(path)
    assert (scan.sha256, scan.quotes, scan.lf, scan.lines()) == (hashlib.sha256(data).hexdigest(), 3, 2, 3)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 1 << 24])
def test_blank_lines_keep_a_big_file_on_the_fast_path_with_exact_row_numbers(tmp_path, monkeypatch, chunk):
    from dashboard.ingest import text

    monkeypatch.setattr(text, "_CHUNK", chunk)
    path = tmp_path / "blank.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n\r\n3,4\r\n\r\n\r\n5,6\r\n\r\n\r\n")
    monkeypatch.setattr(text, "_read_records", lambda *a: pytest.fail("left the fast path"))
    raw = read_any(path, "blank.csv")
    assert raw.numbers == [2, 4, 7]
    assert raw.table.column("b").to_pylist() == ["2", "4", "6"]


def test_utf8_with_units_and_prefixes_stays_utf8():
    text = "id,product\n0,10kΩ resistor\n1,4.7μF capacitor\n2,100Ω resistor\n3,Café table\n4,β-carotene\n"
    raw = read_text(text.encode("utf-8"))
    assert raw.encoding.startswith("utf-8")
    assert raw.table.column("product").to_pylist() == [
        "10kΩ resistor", "4.7μF capacitor", "100Ω resistor", "Café table", "β-carotene"
    ]  # fmt: skip


@pytest.mark.parametrize("data", [b'\xef\xbb\xbf"id","amount"\r\n"1","2"\r\n', b'"a","b"\n"1","2"\n\n"3","4"\n'])
def test_bom_with_quoted_header_and_quoted_files_with_blank_lines_stay_on_the_fast_path(monkeypatch, data):
    from dashboard.ingest import text

    monkeypatch.setattr(text, "_read_records", lambda *a: pytest.fail("left the fast path"))
    assert read_text(data).table.num_rows >= 1
