"""What every reader returns (:class:`RawTable`) and the error a file that cannot be read at all raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa


class MessageError(ValueError):
    """An error the user is shown as a message: ``code`` is an i18n message key, ``detail`` its parameters."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none): a cause, never a traceback."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def read_bytes(source: Path | bytes, limit: int | None = None) -> bytes:
    """The bytes of ``source`` (a path or the uploaded bytes), or its first ``limit`` of them."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source[:limit] if limit else source)
    with open(source, "rb") as fh:
        return fh.read(limit) if limit else fh.read()


class ReadError(MessageError):
    """A file that cannot be read at all."""


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
    # blank lines, cells holding line breaks and rows set aside make the difference.
    numbers: list[int] | None = None

    def row_numbers(self) -> pa.Array:
        """The row number of each row of ``table`` (int64), as the validation report names it."""
        if self.numbers is not None:
            return pa.array(self.numbers, pa.int64())
        return pa.array(range(2, self.table.num_rows + 2), pa.int64())


def unique_names(names: list[str]) -> list[str]:
    """Column names as headers give them, made unique (``a``, ``a_2``) and never blank (``column_3``)."""
    out, seen = [], {}
    for i, n in enumerate(names):
        n = str(n).strip().lstrip("\ufeff") or f"column_{i + 1}"
        seen[n] = seen.get(n, 0) + 1
        out.append(f"{n}_{seen[n]}" if seen[n] > 1 else n)
    return out
