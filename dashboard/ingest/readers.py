"""Readers: any common export (CSV/TSV/text, Excel, Parquet) in, an Arrow table of text columns out.

Readers never interpret values: every cell stays the exact text the user sees, so ids like ``00001`` keep their
zeros and long numeric ids never become floats. Typed parsing happens later, per column, in DuckDB.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .encoding import detect_encoding
from .limits import check_parquet, check_workbook
from .raw import RawTable, ReadError, read_bytes, unique_names
from .text import read_text, scan_file, sniff_delimiter

__all__ = [
    "RawTable", "ReadError", "detect_encoding", "excel_sheets", "read_any", "read_excel", "read_parquet",
    "read_text", "scan_file", "sniff_delimiter",
]  # fmt: skip

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
# What a file is, by its first bytes rather than its name: a workbook or Parquet file renamed .csv reads as what
# it is, and a picture or a PDF renamed .csv is not a table.
_ZIP, _OLE, _PARQUET = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PAR1"
_NOT_TABLES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x1f\x8b", b"BM", b"RIFF", b"7z\xbc\xaf", b"Rar!")


def _as_text_table(columns: list[str], rows: list[list[str]]) -> pa.Table:
    names = unique_names(columns)
    data = {n: [r[i] if i < len(r) else "" for r in rows] for i, n in enumerate(names)}
    return pa.table({n: pa.array(v, pa.string()) for n, v in data.items()})


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        # Whole numbers up to 2^53 are exact in a float: an id of 16 digits stays its digits, not 1.23e+15.
        return str(int(v)) if v.is_integer() and abs(v) <= 2**53 else repr(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ") if v.time() != time(0) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def excel_sheets(source: Path | bytes) -> list[str]:
    """Return the sheet names of a workbook, in workbook order."""
    return list(_open_workbook(source).sheet_names)


def _open_workbook(source):
    from python_calamine import CalamineWorkbook

    check_workbook(source)  # before calamine expands anything
    try:
        if isinstance(source, (bytes, bytearray)):
            return CalamineWorkbook.from_filelike(io.BytesIO(source))
        return CalamineWorkbook.from_path(str(source))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ReadError("err_unreadable", detail=str(exc)) from exc


def read_excel(source: Path | bytes, sheet: str | None = None) -> RawTable:
    """Read one sheet (default: the first) of an Excel or ODS workbook into text columns."""
    wb = _open_workbook(source)
    sheets = list(wb.sheet_names)
    if not sheets:
        raise ReadError("err_empty_file")
    name = sheet if sheet in sheets else sheets[0]
    # Numbered as Excel numbers the sheet's rows, blank rows included, so the report's row is the one on screen.
    data = wb.get_sheet_by_name(name)
    first = data.start[0] + 1 if data.start else 1
    rows = [(first + i, [_cell_text(v) for v in r]) for i, r in enumerate(data.to_python(skip_empty_area=True))]
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ReadError("err_empty_file")
    table = _as_text_table(rows[0][1], [r for _, r in rows[1:]])
    return RawTable(table, sheets=sheets, sheet=name, numbers=[n for n, _ in rows[1:]])


def read_parquet(source: Path | bytes) -> RawTable:
    """Read a Parquet file; typed columns are turned to text so they pass through the same parsing as CSV."""
    try:
        parquet = pq.ParquetFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source))
        check_parquet(parquet.metadata)
        table = parquet.read()
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("err_unreadable", detail=str(exc)) from exc
    if table.num_columns == 0:
        raise ReadError("err_empty_file")
    cols = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            # A zoned timestamp is read as the wall-clock time in its zone, the calendar day the business
            # recorded (2024-01-01 03:00+08:00 is a sale of January 1st), as a CSV's written offset is.
            if col.type.tz is not None:
                col = pc.local_timestamp(col)
            # Nanoseconds go: the workspace keeps microseconds, and a date its day.
            col = col.cast(pa.timestamp("us"), safe=False)
        cols.append(_parquet_text(col))
    return RawTable(pa.table(cols, names=unique_names(table.column_names)))


def _parquet_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A Parquet column as text: its values as written, bytes as UTF-8, nested values as JSON."""
    try:
        return col.cast(pa.string()).fill_null("")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # Lists, structs, maps and binary cannot be cast: an unmapped column of them must not stop the load.
        def text(value) -> str:
            if value is None:
                return ""
            if isinstance(value, bytes):
                return value.decode("utf-8", errors="replace")
            return json.dumps(value, ensure_ascii=False, default=str)

        return pa.chunked_array([pa.array([text(v) for v in col.to_pylist()], pa.string())])


def read_any(source: Path | bytes, name: str, sheet: str | None = None) -> RawTable:
    """Read ``source`` (a path or the uploaded bytes) with the reader its content calls for.

    Raises :class:`ReadError` with a message key when the file is empty or unreadable.
    """
    if isinstance(source, Path) and source.stat().st_size == 0 or source == b"":
        raise ReadError("err_empty_file")
    reader = _reader(source)
    # The file is scanned (hashed, its quotes and line ends counted) on a second thread while the reader parses
    # it: pyarrow and hashlib let go of the GIL, so at ten million rows the scan costs no time of its own.
    with ThreadPoolExecutor(1) as pool:
        scan = pool.submit(scan_file, source, reader == "text")
        if reader == "excel":
            raw = read_excel(source, sheet)
        elif reader == "parquet":
            raw = read_parquet(source)
        else:
            raw = read_text(source, scan)
        raw.sha256 = scan.result().sha256
    return raw


def _reader(source: Path | bytes) -> str:
    """'excel', 'parquet' or 'text': what the file's first bytes say it is, whatever its name says.

    Raises :class:`ReadError` ('err_not_a_table') for pictures, PDFs, archives and other binary files.
    """
    head = read_bytes(source, 4096)
    if head.startswith((_ZIP, _OLE)):
        return "excel"
    if head.startswith(_PARQUET):
        return "parquet"
    if head.startswith(_NOT_TABLES):
        raise ReadError("err_not_a_table")
    # Text has no NUL and almost no other control characters, once decoded; a binary file of any kind has many.
    text = head.decode(detect_encoding(head), errors="ignore").rstrip("\x00")
    if sum(ch < " " and ch not in "\t\r\n\x0b\x0c" for ch in text) > len(text) // 100:
        raise ReadError("err_not_a_table")
    return "text"
