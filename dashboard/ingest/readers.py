"""Readers: any common export (CSV/TSV/text, Excel, Parquet) in, an Arrow table of text columns out.

Readers never interpret values: every cell stays the exact text the user sees, so ids like ``00001`` keep their
zeros and long numeric ids never become floats. Typed parsing happens later, per column, in DuckDB.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_DELIMITERS = [",", "\t", ";", "|"]
_HEAD_BYTES = 1 << 16


class ReadError(ValueError):
    """A file that cannot be read at all; ``code`` is an i18n message key, ``detail`` its parameters."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class RawTable:
    """What a reader returns: text columns, the rows it could not split, and how the file was understood."""

    table: pa.Table
    encoding: str = ""
    delimiter: str = ""
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""
    # (row number, reason key, raw text) of records that could not be split into the header's columns.
    bad_rows: list[tuple[int | None, str, str]] = field(default_factory=list)
    # The file's SHA-256: the load history tells by it whether this exact file was loaded before.
    sha256: str = ""
    # Each row's number as the user finds it in the file (the header is row 1), when not simply 2, 3, 4 ...:
    # blank lines, cells holding line breaks and rows set aside before the table make the difference.
    numbers: list[int] | None = None

    def row_numbers(self) -> pa.Array:
        """The row number of each row of ``table`` (int64), as the validation report names it."""
        if self.numbers is not None:
            return pa.array(self.numbers, pa.int64())
        return pa.array(range(2, self.table.num_rows + 2), pa.int64())


def _source_bytes(source: Path | bytes, limit: int | None = None) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source[:limit] if limit else source)
    with open(source, "rb") as fh:
        return fh.read(limit) if limit else fh.read()


def detect_encoding(head: bytes) -> str:
    """Guess a text file's encoding from its first bytes: a BOM, UTF-16 zero bytes, valid UTF-8, else GB18030.

    GB18030 is a superset of GBK and GB2312, the default of Chinese Excel's CSV export.
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4000]
    if sample and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if sample and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "gb18030"


def sniff_delimiter(text: str) -> str | None:
    """Return the delimiter that splits the sample's records into the same number (>1) of fields, or None.

    Records are split with the csv module so quoted fields holding delimiters or newlines do not mislead.
    """
    lines = text.splitlines(keepends=True)
    if len(lines) > 1:
        text = "".join(lines[:-1]) if not text.endswith(("\n", "\r")) else text
    best, best_score = None, 0.0
    for d in _DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=d) if r][:50]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        score = consistent * (1 + min(width, 20) / 100)
        if consistent >= 0.8 and score > best_score:
            best, best_score = d, score
    return best


def _is_aligned(text: str) -> bool:
    """True when the sample looks like whitespace-aligned columns (two or more spaces between fields)."""
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    if len(lines) < 2:
        return False
    widths = {len(re.split(r"\s{2,}", ln.strip())) for ln in lines}
    return len(widths) == 1 and widths.pop() > 1


def _unique_names(names: list[str]) -> list[str]:
    out, seen = [], {}
    for i, n in enumerate(names):
        n = str(n).strip().lstrip("\ufeff") or f"column_{i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n}_{seen[n]}"
        else:
            seen[n] = 1
        out.append(n)
    return out


def _as_text_table(columns: list[str], rows: list[list[str]]) -> pa.Table:
    names = _unique_names(columns)
    data = {n: [r[i] if i < len(r) else "" for r in rows] for i, n in enumerate(names)}
    return pa.table({n: pa.array(v, pa.string()) for n, v in data.items()})


def read_text(source: Path | bytes, scan: Future | None = None) -> RawTable:
    """Read a delimited or whitespace-aligned text export into text columns, detecting encoding and delimiter.

    ``scan``: the pending :func:`scan_file` of the same source, when the caller started one.
    """
    head = _source_bytes(source, _HEAD_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReadError("err_empty_file")
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    delimiter = sniff_delimiter(sample)
    if delimiter is None and _is_aligned(sample):
        return _read_aligned(source, encoding)
    if delimiter is None:
        delimiter = ","  # one column: still readable, the mapper will say what is missing
    try:
        return _read_delimited(source, encoding, delimiter, scan)
    except UnicodeDecodeError:
        # The head was valid UTF-8 but a later part is not: a GBK file that starts in plain ASCII.
        return _read_delimited(source, "gb18030", delimiter, scan)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "utf-8" in str(exc).lower():
            return _read_delimited(source, "gb18030", delimiter, scan)
        raise ReadError("err_unreadable", detail=str(exc)) from exc


def _read_delimited(source: Path | bytes, encoding: str, delimiter: str, scan: Future | None) -> RawTable:
    bad: list[tuple[int | None, str, str]] = []

    def on_bad_row(row) -> str:
        bad.append((row.number, "reason_field_count", f"{row.actual_columns}/{row.expected_columns}: {row.text}"))
        return "skip"

    arrow_encoding = "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding
    # Every column is declared text up front, so no value is ever type-inferred (00001 stays 00001).
    head = _source_bytes(source, _HEAD_BYTES).decode(encoding, errors="ignore").lstrip("\ufeff")
    names = next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
    read_opts = pacsv.ReadOptions(encoding=arrow_encoding, block_size=1 << 24)
    unique = _unique_names(names)
    read_opts.column_names = unique
    read_opts.skip_rows = 1
    table = pacsv.read_csv(
        io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source),
        read_options=read_opts,
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_bad_row),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in unique}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    sha256, quotes = scan.result() if scan else scan_file(source)
    # An odd number of quote characters: the file was cut inside a quoted field.
    if quotes % 2 == 1 and table.num_rows:
        last = table.slice(table.num_rows - 1).to_pylist()[0]
        bad.append((table.num_rows + 1, "reason_truncated", delimiter.join(last.values())[:200]))
        table = table.slice(0, table.num_rows - 1)
    return RawTable(table, encoding=encoding, delimiter=delimiter, bad_rows=bad, sha256=sha256)


def scan_file(source: Path | bytes) -> tuple[str, int]:
    """One pass over the file's bytes: its SHA-256 (hex) and how many quote characters it holds."""
    h, quotes = hashlib.sha256(), 0
    if isinstance(source, (bytes, bytearray)):
        h.update(source)
        return h.hexdigest(), source.count(b'"')
    with open(source, "rb") as fh:
        while chunk := fh.read(1 << 24):
            h.update(chunk)
            quotes += chunk.count(b'"')
    return h.hexdigest(), quotes


def _read_aligned(source: Path | bytes, encoding: str) -> RawTable:
    text = _source_bytes(source).decode(encoding, errors="replace").lstrip("\ufeff")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # Column boundaries come from the header: a field starts where a header word starts after 2+ spaces.
    starts = [0] + [m.end() for m in re.finditer(r"\s{2,}", lines[0].rstrip())]
    bounds = list(zip(starts, starts[1:] + [None], strict=True))
    rows = [[ln[a:b].strip() for a, b in bounds] for ln in lines]
    return RawTable(_as_text_table(rows[0], rows[1:]), encoding=encoding, delimiter="aligned")


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ") if v.time() != time(0) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def excel_sheets(source: Path | bytes) -> list[str]:
    """Return the sheet names of a workbook, in workbook order."""
    from python_calamine import CalamineWorkbook

    return list(_open_workbook(CalamineWorkbook, source).sheet_names)


def _open_workbook(cls, source):
    from .limits import check_workbook  # here: limits imports ReadError from this module

    check_workbook(source)  # before calamine expands anything
    try:
        if isinstance(source, (bytes, bytearray)):
            return cls.from_filelike(io.BytesIO(source))
        return cls.from_path(str(source))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ReadError("err_unreadable", detail=str(exc)) from exc


def read_excel(source: Path | bytes, sheet: str | None = None) -> RawTable:
    """Read one sheet (default: the first) of an Excel or ODS workbook into text columns."""
    from python_calamine import CalamineWorkbook

    wb = _open_workbook(CalamineWorkbook, source)
    sheets = list(wb.sheet_names)
    if not sheets:
        raise ReadError("err_empty_file")
    name = sheet if sheet in sheets else sheets[0]
    rows = [[_cell_text(v) for v in r] for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=True)]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ReadError("err_empty_file")
    return RawTable(_as_text_table(rows[0], rows[1:]), sheets=sheets, sheet=name)


def read_parquet(source: Path | bytes) -> RawTable:
    """Read a Parquet file; typed columns are turned to text so they pass through the same parsing as CSV."""
    try:
        table = pq.read_table(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source))
    except Exception as exc:
        raise ReadError("err_unreadable", detail=str(exc)) from exc
    if table.num_columns == 0:
        raise ReadError("err_empty_file")
    cols = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.timestamp("us"))
        cols.append(col.cast(pa.string()).fill_null(""))
    return RawTable(pa.table(cols, names=_unique_names(table.column_names)))


def read_any(source: Path | bytes, name: str, sheet: str | None = None) -> RawTable:
    """Read ``source`` (a path or the uploaded bytes) choosing the reader by the file name's suffix.

    Raises :class:`ReadError` with a message key when the file is empty or unreadable.
    """
    suffix = Path(name).suffix.lower()
    if isinstance(source, Path) and source.stat().st_size == 0 or source == b"":
        raise ReadError("err_empty_file")
    # The file is scanned (hashed, its quotes counted) on a second thread while the reader parses it: pyarrow
    # and hashlib let go of the GIL, so at ten million rows the scan costs no time of its own.
    with ThreadPoolExecutor(1) as pool:
        scan = pool.submit(scan_file, source)
        if suffix in EXCEL_SUFFIXES:
            raw = read_excel(source, sheet)
        elif suffix in PARQUET_SUFFIXES:
            raw = read_parquet(source)
        else:
            raw = read_text(source, scan)
        raw.sha256 = scan.result()[0]
    return raw
