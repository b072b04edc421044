"""What a workbook may cost to open: its archive is measured before a parser expands it.

.xlsx, .xlsm, .xlsb and .ods files are zip archives of XML. calamine expands the sheet it reads in memory and
builds a Python object per cell from it, so a few megabytes of crafted zip (a "zip bomb") held 6.5 GB of the
server's memory and would take the server down for every session. :func:`check_workbook` measures what the archive
expands to, without trusting the sizes it declares, and refuses it with a clear message before anything is parsed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from .raw import ReadError

# What the parser may expand, all members together. Measured (2 cores, 23.5 GB, python-calamine 0.9, a 9-column
# orders sheet): 200,000 rows are 9.8 MB packed, 96 MB of XML, and reading them peaks at 0.4 GB; a million rows
# 49 MB, 482 MB and 1.4-1.5 GB (the cells as Python text take about three times their XML). 1 GiB of XML is more
# rows than an Excel sheet holds (1,048,576) at these columns, twice the measured million, and keeps one workbook
# at about 3 GB, so a few analysts can upload at once beside DuckDB's own 2 GB (config.MEMORY_LIMIT).
MAX_EXPANDED_BYTES = 1 << 30
# How much one member may expand. Spreadsheet XML packs 5-15x (the sheet above: 9.8x; styles and themes 2-7x);
# deflate cannot pack more than about 1,030x, and bombs sit near that. A sheet of one value repeated reaches ~100x,
# so 200x refuses no real workbook. Small members are not held to it: a few kilobytes of repeated XML pack far
# better than a sheet and cost nothing.
MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20
# An Excel workbook has tens of members (sheets, styles, images); a million of them is an attack on the listing.
MAX_MEMBERS = 10_000
_CHUNK = 1 << 20


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def _too_large(size: int) -> ReadError:
    return ReadError("err_too_large", size=_mb(size), limit=_mb(MAX_EXPANDED_BYTES))


def _bomb(member: str, ratio: float) -> ReadError:
    return ReadError("err_archive_bomb", member=member, ratio=f"{ratio:,.0f}", limit=f"{MAX_RATIO}")


def check_workbook(source: Path | bytes) -> None:
    """Refuse a zip workbook that would expand past the limits, measuring what it really expands to.

    ``source`` is a path or the uploaded bytes. Files that are not zip archives (.xls is an OLE file, which the
    parser reads without expanding it) pass unchecked. The declared sizes are checked first (the listing alone
    refuses an honest bomb at once), then every member is inflated in 1 MB steps and counted, stopping as soon as
    a limit is crossed: a member that declares less than it holds is caught by what it holds. Nothing is kept,
    so the check needs about 1 MB of memory and about a second per gigabyte of XML.

    Raises
    ------
    ReadError
        ``err_too_large`` (``size``, ``limit``) when the members together expand past ``MAX_EXPANDED_BYTES``;
        ``err_archive_bomb`` (``member``, ``ratio``, ``limit``) when one expands more than ``MAX_RATIO`` times;
        ``err_unreadable`` when the archive is damaged or uses a compression spreadsheets never use.
    """
    fh = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else open(source, "rb")
    with fh:
        if not zipfile.is_zipfile(fh):
            return
        try:
            with zipfile.ZipFile(fh) as zf:
                members = zf.infolist()
                if len(members) > MAX_MEMBERS:
                    raise ReadError("err_unreadable", detail=f"{len(members):,} parts in one workbook")
                _check_declared(members)
                total = 0
                for info in members:
                    total += _inflated_size(fh, info, MAX_EXPANDED_BYTES - total)
        except (zipfile.BadZipFile, zlib.error, struct.error, EOFError) as exc:
            raise ReadError("err_unreadable", detail=str(exc)) from exc


def _check_declared(members: list[zipfile.ZipInfo]) -> None:
    declared = sum(i.file_size for i in members)
    if declared > MAX_EXPANDED_BYTES:
        raise _too_large(declared)
    for info in members:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(info.filename, info.file_size / max(info.compress_size, 1))


def _inflated_size(fh, info: zipfile.ZipInfo, budget: int) -> int:
    # The member's bytes start after its local header, whose name and extra field lengths may differ from the
    # central directory's: read them from the local header itself.
    fh.seek(info.header_offset)
    header = fh.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + zipfile.sizeFileHeader + name_len + extra_len)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReadError("err_unreadable", detail=f"{info.filename}: compression method {info.compress_type}")
    stored = info.compress_type == zipfile.ZIP_STORED
    inflater, size, left = zlib.decompressobj(-zlib.MAX_WBITS), 0, info.compress_size
    while left > 0 and (stored or not inflater.eof):
        data = fh.read(min(_CHUNK, left))
        if not data:
            break
        left -= len(data)
        while data and (stored or not inflater.eof):
            size += len(data) if stored else len(inflater.decompress(data, _CHUNK))
            data = b"" if stored else inflater.unconsumed_tail
            if size > budget:
                raise _too_large(MAX_EXPANDED_BYTES - budget + size)
            if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
                raise _bomb(info.filename, size / max(info.compress_size, 1))
    return size


# Parquet is read into Arrow whole and then turned to text. Ten million order lines of the canonical columns are
# 0.8-1.5 GB uncompressed; 4 GiB leaves room for wider exports while a few kilobytes of repeated values that
# would expand to hundreds of gigabytes are refused from the footer alone. The footer's sizes are of encoded
# pages, and a dictionary makes a billion repeated values small there: every cell also counts as 16 bytes, about
# what it takes as text in Arrow (offset and characters).
MAX_PARQUET_BYTES = 4 << 30
_CELL_BYTES = 16


def check_parquet(metadata) -> None:
    """Refuse a Parquet file whose footer says its data expands past ``MAX_PARQUET_BYTES`` (``err_too_large``)."""
    encoded = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    size = max(encoded, metadata.num_rows * metadata.num_columns * _CELL_BYTES)
    if size > MAX_PARQUET_BYTES:
        raise ReadError("err_too_large", size=_mb(size), limit=_mb(MAX_PARQUET_BYTES))
