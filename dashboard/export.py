"""Files written for people to open (CSV and Excel downloads, the command line's rejected rows), safe to open.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, tab or carriage return) as a
formula: a customer named ``=HYPERLINK("http://...")`` in an export becomes a live link, or worse. Following
OWASP's rule, such text cells get a leading apostrophe; numbers stay numbers. Every writer goes through
:func:`neutralise`.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
_FORMULA_START_RE = re.compile(r"[=+\-@\t\r]")


def neutralise_text(value):
    """``value`` with a leading apostrophe when it is text a spreadsheet would read as a formula; else unchanged.

    A list (a model's monthly trend) becomes one line of text, ``[1.0, 2.5]``, instead of numpy's wrapped print.
    """
    if isinstance(value, (list, np.ndarray)):
        return json.dumps([None if pd.isna(v) else v for v in np.asarray(value).tolist()], default=str)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names cannot start a formula (see :func:`neutralise_text`).

    Only text is changed: int, float, decimal, boolean and date columns keep their values and types, and in a
    column of mixed objects (DuckDB's DECIMAL arrives as Python ``Decimal`` objects) only the ``str`` cells are
    touched. A text cell such as ``-12`` is text, and is prefixed.
    """
    out = df.copy()
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
            # Whole-column string dtypes (pandas 3's default for text): one vectorised test.
            hit = s.str.match(_FORMULA_START_RE).fillna(False).astype(bool)
            if hit.any():
                out.isetitem(i, s.mask(hit, "'" + s))
        elif pd.api.types.is_object_dtype(s.dtype):
            out.isetitem(i, s.map(neutralise_text))
    out.columns = [neutralise_text(c) for c in df.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as CSV in UTF-8 with a byte order mark (so Excel reads Chinese text), without index, neutralised.

    Lines end in CRLF (RFC 4180), which also has the writer quote a cell holding a lone carriage return: with
    pandas' default line feed alone such a cell would end the row in Excel.
    """
    return neutralise(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` to ``path`` exactly as :func:`csv_bytes` makes it, and return the path."""
    path = Path(path)
    path.write_bytes(csv_bytes(df))
    return path


def _excel_cell(sheet, value):
    if isinstance(value, str):
        # openpyxl refuses control characters, and stores text starting with '=' as a formula: after neutralise
        # none does, but the writer keeps text as text on its own.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones
    return value


def xlsx_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as an Excel workbook of one sheet (the first rows that fit in it), neutralised, text kept as text."""
    data = neutralise(df.head(EXCEL_MAX_ROWS))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append([_excel_cell(sheet, c) for c in data.columns])
    for row in data.itertuples(index=False, name=None):
        sheet.append([_excel_cell(sheet, v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
