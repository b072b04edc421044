"""Workbook limits: a zip bomb is refused before the parser expands it, by its listing or by what it really holds."""

import io
import random
import struct
import zipfile

import pytest
from openpyxl import Workbook

from dashboard.ingest import limits
from dashboard.ingest.readers import ReadError, excel_sheets, read_any


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["客户编号", "订单日期", "成交金额"])
    ws.append(["00001", "2024-01-05", 12.5])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _lie_about_sizes(data: bytes, name: str, declared: int) -> bytes:
    # Rewrite the uncompressed size of member `name` in its local header and its central directory entry, the
    # way a crafted archive declares a few kilobytes for a member holding gigabytes.
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        offset, entry = zf.getinfo(name).header_offset, zf.start_dir
    struct.pack_into("<I", out, offset + 22, declared)
    while True:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, entry + 28)
        if out[entry + 46 : entry + 46 + name_len].decode() == name:
            struct.pack_into("<I", out, entry + 24, declared)
            return bytes(out)
        entry += 46 + name_len + extra_len + comment_len


def test_a_real_workbook_passes_and_reads():
    book = _workbook()
    limits.check_workbook(book)
    raw = read_any(book, "book.xlsx")
    assert raw.table.column("客户编号").to_pylist() == ["00001"]


def test_files_that_are_not_zip_archives_are_not_checked():
    limits.check_workbook(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)  # the start of an OLE (.xls) file
    limits.check_workbook(b"plain text")


def test_a_member_expanding_past_the_ratio_is_refused_from_the_listing():
    # 64 MB of one byte packs to about 62 KB: about 1,000x, the mark of a bomb.
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": b"a" * (64 << 20)})
    with pytest.raises(ReadError) as err:
        limits.check_workbook(bomb)
    assert err.value.code == "err_archive_bomb"
    assert err.value.detail["member"] == "xl/sharedStrings.xml"
    assert int(err.value.detail["ratio"].replace(",", "")) > 900
    assert err.value.detail["limit"] == "200"


def test_a_member_declaring_less_than_it_holds_is_measured(monkeypatch):
    # The listing says 1 KB; inflating counts the real 64 MB, past the ratio and past a 32 MB total limit.
    bomb = _lie_about_sizes(_zip({"xl/worksheets/sheet1.xml": b"a" * (64 << 20)}), "xl/worksheets/sheet1.xml", 1024)
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    with pytest.raises(ReadError) as err:
        limits.check_workbook(bomb)
    assert err.value.code == "err_archive_bomb"
    monkeypatch.setattr(limits, "MAX_RATIO", 10_000)
    monkeypatch.setattr(limits, "MAX_EXPANDED_BYTES", 32 << 20)
    with pytest.raises(ReadError) as err:
        limits.check_workbook(bomb)
    # Inflating stops at the first 1 MB step past the limit: it never expands the rest.
    assert err.value.code == "err_too_large"
    assert err.value.detail == {"size": "33 MB", "limit": "32 MB"}


def test_the_declared_total_is_checked_before_anything_is_inflated(monkeypatch):
    monkeypatch.setattr(limits, "MAX_EXPANDED_BYTES", 4 << 20)
    data = random.Random(0).randbytes(3 << 20)  # 3 MB each, incompressible
    book = _zip({"a.xml": data, "b.xml": data})
    monkeypatch.setattr(limits, "_inflated_size", lambda *a: pytest.fail("inflated, though the listing is too large"))
    with pytest.raises(ReadError) as err:
        limits.check_workbook(book)
    assert err.value.detail == {"size": "6 MB", "limit": "4 MB"}


def test_stored_members_count_too(monkeypatch):
    monkeypatch.setattr(limits, "MAX_EXPANDED_BYTES", 2 << 20)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.xml", b"x" * (3 << 20))
    with pytest.raises(ReadError) as err:
        limits.check_workbook(_lie_about_sizes(buf.getvalue(), "a.xml", 10))
    assert err.value.code == "err_too_large"


def test_the_excel_readers_refuse_a_bomb_before_calamine_sees_it(tmp_path, monkeypatch):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<c/>" * (16 << 20)})
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", lambda *a: pytest.fail("parsed"))
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", lambda *a: pytest.fail("parsed"))
    for call in (lambda: excel_sheets(bomb), lambda: read_any(bomb, "x.xlsx"), lambda: read_any(path, "x.xlsx")):
        with pytest.raises(ReadError) as err:
            call()
        assert err.value.code == "err_archive_bomb"


def test_a_damaged_archive_is_unreadable():
    book = bytearray(_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(book))) as zf:
        offset = zf.infolist()[0].header_offset
    book[offset : offset + 4] = b"XXXX"  # the first member's local header is gone
    with pytest.raises(ReadError) as err:
        limits.check_workbook(bytes(book))
    assert err.value.code == "err_unreadable"


def test_a_parquet_file_expanding_past_the_limit_is_refused_from_its_footer(monkeypatch):
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from dashboard.ingest import limits
    from dashboard.ingest.readers import ReadError, read_any

    buf = io.BytesIO()
    pq.write_table(pa.table({"customer_id": ["C1"] * 200_000, "amount": [1.0] * 200_000}), buf)
    assert len(buf.getvalue()) < 10_000  # repeated values pack to almost nothing
    monkeypatch.setattr(limits, "MAX_PARQUET_BYTES", 1 << 20)
    with pytest.raises(ReadError) as exc:
        read_any(buf.getvalue(), "bomb.parquet")
    assert exc.value.code == "err_too_large"
    monkeypatch.setattr(limits, "MAX_PARQUET_BYTES", 1 << 30)
    assert read_any(buf.getvalue(), "fine.parquet").table.num_rows == 200_000
