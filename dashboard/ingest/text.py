"""Text exports (comma, tab, semicolon or pipe separated, whitespace-separated, fixed-width) into text columns.

Two ways through, one result. Clean UTF-8, nearly every large file, is parsed by pyarrow on every core, and each
row's number in the file follows from the line breaks inside its cells. Every other file goes line by line through
Python's csv module, which knows the line each record starts on: other encodings, lines in an encoding other than
the file's, rows with the wrong number of fields, blank lines, a file cut inside quotes, a quote inside an
unquoted cell (``Monitor 27" wide``), carriage returns that are not line ends. What cannot be read is set aside
with its row number and reason, never dropped and never turned into mojibake.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .encoding import MARK, decode_lines, detect_encoding, looks_misread
from .raw import RawTable, ReadError, read_bytes, unique_names

DELIMITERS = [",", "\t", ";", "|"]
_HEAD_BYTES = 1 << 16
# A sample for sniffing holds this many lines at least; a header wider than the first 64 KB is read whole.
_SAMPLE_LINES = 30
_MAX_SAMPLE = 1 << 26
# A carriage return inside a line of a file whose lines end in LF is cell content; csv would end the record there.
_LONE_CR = "\ue000"
_BATCH = 100_000
_CHUNK = 1 << 24  # bytes a scan reads at a time
# A cell may hold a whole document (a pasted e-mail, a note): csv's default cap of 128 KB would stop the file.
csv.field_size_limit(1 << 30)


@dataclass
class Scan:
    """One pass over a file's bytes: its SHA-256, its quote characters and its line ends."""

    sha256: str
    quotes: int
    lf: int
    cr: int
    crlf: int
    tail: bytes
    # Some quote stands between two characters of a cell (see _loose_quotes).
    loose_quotes: bool = False

    def lines(self) -> int | None:
        """The number of non-blank-at-the-end lines the file holds, or None when a CR is not a line end."""
        if self.lf and self.cr != self.crlf:
            return None
        ends, eol = (self.lf, b"\n") if self.lf else (self.cr, b"\r")
        tail = self.tail.replace(b"\r\n", b"\n") if self.lf else self.tail
        trailing = len(tail) - len(tail.rstrip(eol))
        # Line ends after the last line's own are blank lines at the end of the file, which hold no row.
        return ends - max(trailing - 1, 0) + (0 if trailing else 1)


def scan_file(source: Path | bytes, text: bool = True) -> Scan:
    """Hash ``source`` and, for a text file, count its quote characters and line ends, in one pass.

    A workbook or a Parquet file (``text`` False) is only hashed: its quotes and line ends mean nothing.
    """
    h = hashlib.sha256()
    quotes = lf = cr = crlf = 0
    previous, loose = b"", False
    for chunk in _chunks(source):
        h.update(chunk)
        if not text:
            continue
        n = chunk.count(b'"')
        quotes += n
        if n and not loose:
            loose = _loose_quotes(
                previous[-1:] or b"\n", chunk.removeprefix(b"\xef\xbb\xbf") if not previous else chunk
            )
        lf += chunk.count(b"\n")
        crs = chunk.count(b"\r")
        cr += crs
        # Each count is a pass over the chunk, competing with the parser for the cores: CRLF only when CRs exist.
        if crs or previous.endswith(b"\r"):
            crlf += chunk.count(b"\r\n") + (previous.endswith(b"\r") and chunk.startswith(b"\n"))
        previous = (previous + chunk)[-4096:]
    return Scan(h.hexdigest(), quotes, lf, cr, crlf, previous, loose)


# Bytes a quote may stand beside in a file quoted the usual way: line ends, quotes and the delimiters.
_BESIDE_QUOTE = np.zeros(256, bool)
_BESIDE_QUOTE[list(b'\r\n",\t;|')] = True


def _loose_quotes(before: bytes, chunk: bytes) -> bool:
    """True when a quote of ``chunk`` stands between two characters of a cell (``27" wide``, ``"Best" chair``).

    pyarrow reads such quotes loosely, each its own way (``"Best" chair`` loses its quotes); the strict reading
    line by line keeps an inch mark as written and sets a broken quote aside. ``before`` is the byte before the
    chunk (a line end at the file's start, so a BOM never counts). Vector operations that let go of the GIL, on
    16 MB at a time: the scan of a 287 MB quoted export takes 1.46 s with them, 0.72 s without, beside pyarrow's
    parse.
    """
    data = np.frombuffer(before + chunk + b"\n", np.uint8)
    for start in range(0, len(data) - 2, _CHUNK):
        window = data[start : start + _CHUNK + 2]
        middle, left, right = window[1:-1], window[:-2], window[2:]
        # Most quotes stand beside a comma: the few others are looked at one by one.
        near = np.flatnonzero((middle == 34) & (left != 44) & (right != 44)) + 1
        if near.size and np.any(~_BESIDE_QUOTE[window[near - 1]] & ~_BESIDE_QUOTE[window[near + 1]]):
            return True
    return False


def _chunks(source: Path | bytes) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield bytes(source)
        return
    with open(source, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def sniff_delimiter(text: str) -> str | None:
    """Return the delimiter that splits the sample's records into the same number (>1) of fields, or None.

    Records are split with the csv module so quoted fields holding delimiters or newlines do not mislead.
    """
    best, best_score = None, 0.0
    for d in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=d) if r][:50]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        score = consistent * (1 + min(width, 20) / 100)
        if consistent >= 0.8 and score > best_score:
            best, best_score = d, score
    return best


def _sample(source: Path | bytes, encoding: str, head: bytes) -> str:
    """Whole lines from the start of the file: at least the header and a few rows, however wide the header.

    ``head`` is the file's first ``_HEAD_BYTES``; more is read only when they hold too few lines.
    """
    size = _HEAD_BYTES
    while True:
        head = head if size == _HEAD_BYTES else read_bytes(source, size)
        text = head.decode(encoding, errors="replace").lstrip("\ufeff")
        complete = len(head) < size
        if complete or len(re.findall(r"\r\n|\r|\n", text)) > _SAMPLE_LINES or size >= _MAX_SAMPLE:
            break
        size *= 4
    if not complete:
        # The last line may be cut: sniff on the complete ones.
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[: cut + 1] if cut > 0 else text
    return text


def read_text(source: Path | bytes, scan: Future | None = None) -> RawTable:
    """Read a delimited, whitespace-separated or fixed-width text export into text columns.

    ``scan``: the pending :func:`scan_file` of the same source, when the caller started one. Returns a
    ``RawTable`` whose ``bad_rows`` hold the records that could not be read, each with its row number.
    """
    head = read_bytes(source, _HEAD_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReadError("err_empty_file")
    encoding = detect_encoding(head)
    sample = _sample(source, encoding, head)
    delimiter = sniff_delimiter(sample)
    # GBK whose characters happen to be valid UTF-8 byte pairs (女装) passes pyarrow's check: its lines decide.
    misread = any(looks_misread(line) for line in sample.splitlines() if not line.isascii())
    if delimiter is not None and encoding in ("utf-8", "utf-8-sig") and not misread:
        fast = _read_fast(source, sample, delimiter, encoding, scan)
        if fast is not None:
            return _without_empty_rows(fast)
    data = read_bytes(source)
    lines, encoding = decode_lines(data, encoding)
    if delimiter is None:
        layout = _layout(lines)
        if layout is not None:
            table, numbers, bad = _read_columns(lines, layout)
            return RawTable(table, encoding=encoding, delimiter=layout, bad_rows=bad, numbers=numbers)
        delimiter = ","  # one column: still readable, the mapper will say what is missing
    table, numbers, bad = _read_records(lines, delimiter)
    return RawTable(table, encoding=encoding, delimiter=delimiter, bad_rows=bad, numbers=numbers)


def _read_fast(
    source: Path | bytes, sample: str, delimiter: str, encoding: str, scan: Future | None
) -> RawTable | None:
    """Parse clean UTF-8 with pyarrow; None when the file needs the line-by-line reading to be numbered exactly."""
    invalid = []

    def on_invalid_row(row) -> str:
        invalid.append(row)
        return "skip"

    header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), [])
    if not header or sample[:1] in ("\r", "\n"):
        return None  # blank lines before the header: the line-by-line reading numbers them
    names = unique_names(header)
    read_opts = pacsv.ReadOptions(encoding="utf8", block_size=1 << 24, column_names=names, skip_rows=1)
    try:
        table = pacsv.read_csv(
            io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source),
            read_options=read_opts,
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid_row
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None  # not UTF-8 after all, or a shape pyarrow refuses: read line by line
    done = scan.result() if scan else scan_file(source)
    lines = done.lines()
    if invalid or done.quotes % 2 or lines is None or done.loose_quotes:
        return None
    if lines == table.num_rows + 1:
        # Lines are the header, the rows, the breaks inside cells and blank lines: no room for the last two.
        return RawTable(table, encoding=encoding, delimiter=delimiter, sha256=done.sha256)
    # Each row starts on line 2 plus the line breaks held in the cells above it (none without quotes).
    breaks = None
    for column in table.columns if done.quotes else ():
        count = pc.count_substring(column, "\n" if done.lf else "\r")
        breaks = count if breaks is None else pc.add(breaks, count)
    inside = (pc.sum(breaks).as_py() or 0) if breaks is not None else 0
    if not inside and done.lf:
        # No breaks inside cells: the other lines are blank ones pyarrow skipped. Found at C speed, they number
        # the rows, so a big export with a blank line or two stays on the fast path.
        blank = _blank_lines(source, lines)
        if blank is not None and lines == table.num_rows + 1 + len(blank):
            numbers = [n for n in range(2, lines + 1) if n not in blank]
            return RawTable(table, encoding=encoding, delimiter=delimiter, numbers=numbers, sha256=done.sha256)
    if lines != table.num_rows + 1 + inside:
        return None  # blank lines between rows: their numbers come from the line-by-line reading
    if inside and _swallowed_rows(table, breaks, delimiter):
        return None
    numbers = None
    if inside:
        before = pc.subtract(pc.cumulative_sum(breaks.combine_chunks()), breaks.combine_chunks())
        numbers = pc.add(before, pa.array(range(2, table.num_rows + 2), pa.int64())).to_pylist()
    return RawTable(table, encoding=encoding, delimiter=delimiter, numbers=numbers, sha256=done.sha256)


def _without_empty_rows(raw: RawTable) -> RawTable:
    """``raw`` without rows of nothing but empty fields (Excel's ``,,,,`` lines), as the line-by-line reading skips.

    Only rows whose first field is empty are looked at further, which is none or few in a real export.
    """
    table = raw.table
    empty = pc.equal(table.column(0), "") if table.num_columns else None
    if empty is None or not pc.any(empty).as_py():
        return raw
    for column in table.columns[1:]:
        empty = pc.and_(empty, pc.equal(column, ""))
    if not pc.any(empty).as_py():
        return raw
    keep = pc.invert(empty)
    raw.numbers = raw.row_numbers().filter(keep.combine_chunks()).to_pylist()
    raw.table = table.filter(keep)
    return raw


def _blank_lines(source: Path | bytes, last: int) -> set[int] | None:
    """The numbers of the empty lines of an LF or CRLF file before line ``last``; None when there are very many."""
    blank: set[int] = set()
    before, tail = 0, b""
    for chunk in _chunks(source):
        # The previous chunk's last two bytes come along, so an empty line across the boundary is seen (twice at
        # most: a set keeps it once).
        data, line, pos = tail + chunk, before - tail.count(b"\n"), 0
        for match in re.finditer(rb"\n(?=\r?\n)", data):
            line += data.count(b"\n", pos, match.start() + 1)
            pos = match.start() + 1
            if line + 1 < last:
                blank.add(line + 1)
            if len(blank) > 100_000:
                return None
        before += chunk.count(b"\n")
        tail = data[-2:]
    return blank


def _holds_rows(value: str, delimiter: str, width: int) -> bool:
    """True when a cell's later lines hold a row's worth of delimiters: two stray quotes paired up across lines.

    ``"Monitor 27`` ... ``Desk 30"`` reads as one cell holding the rows between; a cell that really spans lines
    (a note, an address) does not hold a line with as many delimiters as a row.
    """
    return any(line.count(delimiter) >= width - 1 for line in value.splitlines()[1:])


def _swallowed_rows(table: pa.Table, breaks: pa.ChunkedArray, delimiter: str) -> bool:
    """True when a cell pyarrow read across lines holds rows (:func:`_holds_rows`): read line by line instead."""
    spanning = table.filter(pc.greater(breaks, 0))
    return any(
        _holds_rows(value, delimiter, table.num_columns) for column in spanning.columns for value in column.to_pylist()
    )


def _records(lines: list[str], delimiter: str, shape: dict) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line number, fields, reason) of each record of ``lines``; fields None when its quoting is broken.

    Quotes are read strictly: a quoted cell must close right before a delimiter or a line end. A record whose
    quotes do not pair up (``"Monitor 27`` opening a cell that never closes, ``"Best" chair``) would otherwise
    swallow the lines after it: its first line is set aside ('reason_quotes', or 'reason_truncated' when the file
    ends inside it) and reading starts again on the next line. A quoted cell that closes lines later holding
    rows (:func:`_holds_rows`, once ``shape['width']`` is known) is set aside whole, its last line in the reason
    ('reason_quoted_rows:<line>'). Records of nothing but empty fields are blank lines.
    """
    pos = 0
    last = max((i for i, ln in enumerate(lines) if ln.strip()), default=-1)
    while pos < len(lines):
        # Started at a line by index, not by skipping: a file with a broken quote every few lines stays linear.
        reader = csv.reader((lines[i] for i in range(pos, len(lines))), delimiter=delimiter, strict=True)
        done, restart = 0, None
        try:
            for fields in reader:
                start, end = pos + done + 1, reader.line_num
                done = end
                width = shape.get("width")
                if width and pos + end > start and any(_holds_rows(v, delimiter, width) for v in fields):
                    # Two stray quotes paired up, or a note written like rows: which it is cannot be told, so
                    # the whole record is set aside with its lines, and none of them is read as a row.
                    yield start, None, f"reason_quoted_rows:{pos + end}"
                elif fields and any(v.strip() for v in fields):
                    yield start, fields, ""
        except csv.Error as exc:
            start = pos + done + 1
            at_end = "end of data" in str(exc) and start - 1 == last
            yield start, None, "reason_truncated" if at_end else "reason_quotes"
            restart = start
        if restart is None:
            return
        pos = restart


def _read_records(lines: list[str], delimiter: str) -> tuple[pa.Table, list[int], list]:
    """Split ``lines`` into records: (text columns of the good ones, their row numbers, the bad ones)."""
    lone_cr = any("\r" in ln.rstrip("\r\n") for ln in lines)
    if lone_cr:
        lines = [ln[:-2].replace("\r", _LONE_CR) + "\r\n" if ln.endswith("\r\n") else ln.replace("\r", _LONE_CR)
                 for ln in lines]  # fmt: skip
    shape: dict = {}
    records = _records(lines, delimiter, shape)
    first = next((r for r in records if r[1] is not None), None)
    if first is None:
        raise ReadError("err_empty_file")
    names = unique_names([_restore(v, lone_cr) for v in first[1]])
    width = shape["width"] = len(names)
    # A delimiter after the last field, on the header or on the rows, adds an empty field: not a broken row.
    unnamed_tail = len(first[1]) - len("".join("x" if v.strip() else " " for v in first[1]).rstrip())
    batches, numbers, bad = [], [], []
    rows: list[list[str]] = []
    for number, fields, reason in records:
        if fields is None:
            reason, _, last = reason.partition(":")
            text = _restore(lines[number - 1].rstrip("\r\n"), lone_cr)[:200]
            bad.append((number, reason, f"{number}-{last}: {text}" if last else text))
            continue
        if any(MARK in v for v in fields):
            bad.append((number, "reason_encoding", _restore(delimiter.join(fields), lone_cr)[:200]))
            continue
        if len(fields) > width and not any(v.strip() for v in fields[width:]):
            fields = fields[:width]
        elif width - unnamed_tail <= len(fields) < width:
            fields = fields + [""] * (width - len(fields))
        if len(fields) != width:
            text = _restore(delimiter.join(fields), lone_cr)[:200]
            bad.append((number, "reason_field_count", f"{len(fields)}/{width}: {text}"))
            continue
        rows.append([_restore(v, lone_cr) for v in fields] if lone_cr else fields)
        numbers.append(number)
        if len(rows) == _BATCH:
            batches.append(_batch(names, rows))
            rows = []
    batches.append(_batch(names, rows))
    return pa.Table.from_batches(batches), numbers, bad


def _restore(value: str, lone_cr: bool) -> str:
    return value.replace(_LONE_CR, "\r") if lone_cr else value


def _batch(names: list[str], rows: list[list[str]]) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return pa.record_batch([pa.array(c, pa.string()) for c in columns], names=names)


def _layout(lines: list[str]) -> str | None:
    """How lines without a delimiter hold their columns: 'whitespace', 'aligned' or None (one column).

    'whitespace' when every line splits on whitespace into the header's number (>1) of fields, however the
    spacing differs from line to line; 'aligned' (fixed-width, see :func:`_fixed_cuts`) only when that fails
    and the header has two or more columns that most lines can be cut between (:func:`_fixed_cuts`).
    """
    content = [ln.rstrip("\r\n") for ln in lines if ln.strip()]
    if len(content) < 2:
        return None
    width = len(content[0].split())
    grid = [_cells(line) for line in content]
    cuts = _fixed_cuts(grid)
    clean = sum(all(_clean_cut(row, p) for p in cuts) for row in grid)
    if width > 1 and all(len(ln.split()) == width for ln in content):
        # Columns cut cleanly on every line that split differently somewhere ("Bo Li" beside an empty column)
        # are what the lines are: the whitespace reading would shift values into the wrong columns.
        aligned = clean == len(grid) and len(cuts) == width - 1
        differs = aligned and any(_split_fixed(line, cuts) != line.split() for line in content)
        return "aligned" if differs else "whitespace"
    return "aligned" if cuts and clean >= 0.8 * len(grid) else None


def _cells(line: str) -> list[str]:
    """A line as the screen shows it: one cell a character, two for a wide (CJK, full-width) one."""
    out = []
    for ch in line.expandtabs(8):
        out.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            out.append("")  # the second half of a wide character
    return out


def _fixed_cuts(grid: list[list[str]]) -> list[int]:
    """Where fixed-width columns are cut, in screen cells (:func:`_cells`); the first row is the header.

    The header's columns are its words two or more blanks apart. Between two of them the cut goes where the
    most lines have a blank on one side of it, so a right-aligned number wider than its header, or a value of
    Chinese characters (two cells each, as exports pad them), stays in one piece.
    """
    header, starts, ends, i = grid[0], [], [], 0
    while i < len(header):
        if header[i] == " ":
            i += 1
            continue
        starts.append(i)
        while i < len(header) and not (header[i] == " " and (i + 1 == len(header) or header[i + 1] == " ")):
            i += 1
        ends.append(i)
    return [max(range(e, s + 1), key=lambda p: (sum(_clean_cut(row, p) for row in grid), p)) for e, s in
            zip(ends, starts[1:], strict=False)]  # fmt: skip


def _clean_cut(row: list[str], p: int) -> bool:
    """True when cutting ``row`` before cell ``p`` splits no value.

    A value may hold single blanks ("office desk", "1 234,50"): a cut is clean only with two or more blanks
    around it, or at the line's start or end.
    """

    def blank(i: int) -> bool:
        return i < 0 or i >= len(row) or row[i] == " "

    if p <= 0 or p >= len(row) or all(blank(i) for i in range(p, len(row))):
        return True
    left = p - 1 if not blank(p - 1) else (p - 2 if not blank(p - 2) else None)
    right = p if not blank(p) else (p + 1 if not blank(p + 1) else None)
    return left is None or right is None or right - left > 2


def _split_fixed(line: str, cuts: list[int]) -> list[str]:
    """``line`` cut before the screen cells ``cuts``, each piece stripped."""
    cells = _cells(line)
    return ["".join(cells[a:b]).strip() for a, b in zip([0, *cuts], [*cuts, None], strict=True)]


def _read_columns(lines: list[str], layout: str) -> tuple[pa.Table, list[int], list]:
    """Whitespace-separated or fixed-width ``lines`` as (text columns, row numbers, rows set aside)."""
    numbered = [(i + 1, ln.rstrip("\r\n")) for i, ln in enumerate(lines) if ln.strip()]
    cuts: list[int] = []
    if layout == "whitespace":
        split = str.split
    else:
        cuts = _fixed_cuts([_cells(ln) for _, ln in numbered])

        def split(line: str) -> list[str]:
            return _split_fixed(line, cuts)

    names = unique_names(split(numbered[0][1]))
    rows, numbers, bad = [], [], []
    for number, line in numbered[1:]:
        if MARK in line:
            bad.append((number, "reason_encoding", line[:200]))
        elif cuts and not all(_clean_cut(_cells(line), p) for p in cuts):
            bad.append((number, "reason_fixed_width", line[:200]))
        else:
            rows.append(split(line))
            numbers.append(number)
    return pa.Table.from_batches([_batch(names, rows)]), numbers, bad
