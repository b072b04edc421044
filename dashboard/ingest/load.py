"""The load path: read a file, map its columns, parse and validate every row in DuckDB, then swap it in.

``prepare`` does everything short of changing the workspace's data and returns a :class:`Prepared` holding the
preview, the validation report and a staging table (``_staging_<tag>``, a table of the workspace no query reads;
dropped when the load is cancelled, and on the next open when its process ended first). ``commit`` swaps the
accepted rows into place atomically (replace, or append with de-duplication on the table's key). Nothing is ever
dropped silently: every row is either loaded or listed with its row number, column and reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from ..schema import TABLES, quote_ident
from ..workspace import STAGING_PREFIX, Change, Workspace
from . import parse
from .checks import DATE_TYPES, NUMBER_TYPES, problem_struct, staged_select
from .mapping import guess_kind
from .raw import MessageError, first_line
from .readers import RawTable, ReadError, read_any


class LoadError(MessageError):
    """Nothing of the file can be loaded; ``code`` is an i18n message key and ``detail`` its parameters."""

    @classmethod
    def from_failure(cls, exc: BaseException) -> LoadError:
        """The error to show for ``exc``, a failure of the database or the machine while a file is staged or loaded.

        The load rolled back, so the message says nothing changed and names the cause in words: memory, a value too
        large for its column or for a total, else the database's own first line (never a traceback).
        """
        cause = first_line(exc)
        if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)):
            return cls("err_out_of_memory")
        if isinstance(exc, duckdb.ConversionException) or "out of range" in cause:
            return cls("err_value_out_of_range", detail=cause)
        return cls("err_load_failed", detail=cause)


@dataclass
class Prepared:
    """A file read, mapped and validated, waiting for the analyst to confirm (or cancel) the load."""

    kind: str
    file_name: str
    sha256: str
    mapping: dict[str, str | None]
    raw: RawTable
    cursor: object
    staging: str
    rows_read: int
    rows_ok: int
    formats: dict[str, parse.ColumnFormat] = field(default_factory=dict)
    suggested_kind: str = ""
    # When this exact file (same sha256) was already loaded into the same table, and not undone.
    already_loaded_at: object = None

    @property
    def rows_rejected(self) -> int:
        """Rows that will not be loaded (parse errors, missing required values, duplicates, unsplittable)."""
        return self.rows_read - self.rows_ok

    @property
    def field_to_column(self) -> dict[str, str]:
        """The inverse mapping: canonical field -> source header."""
        return {f: c for c, f in self.mapping.items() if f}

    def preview(self, n: int = 20) -> pd.DataFrame:
        """The first ``n`` rows as parsed (typed canonical fields), with their row number and status."""
        shown = {*self.field_to_column, "amount", "gross_margin"}
        cols = ", ".join(f.name for f in TABLES[self.kind].stored_fields if f.name in shown)
        sql = f"SELECT _row AS row, len(_errors) = 0 AS ok, {cols} FROM {self.staging} ORDER BY _row LIMIT $n"
        # A DATE shown as a date (2024-01-05), not as the midnight timestamp pandas would make of it.
        return self.cursor.execute(sql, {"n": n}).df(date_as_object=True)

    @cached_property
    def _problem_rows(self) -> pd.DataFrame:
        # Read once: the report, the rejects file and the reason counts all ask, and at ten million rows each
        # read of the staging table's problem lists costs a third of a second. The staging never changes.
        sql = (
            f"SELECT _row AS row, p.field, p.value, p.reason, p.severity FROM"
            f" (SELECT * FROM {self.staging} WHERE len(_errors) + len(_warnings) > 0),"
            f" unnest(list_concat(_errors, _warnings)) AS u(p) ORDER BY row"
        )
        df = self.cursor.execute(sql).df()
        bad = [(r, "", text, reason, "error") for r, reason, text in self.raw.bad_rows]
        df = pd.concat([pd.DataFrame(bad, columns=df.columns), df], ignore_index=True) if bad else df
        df.insert(1, "column", df["field"].map(self.field_to_column).fillna(""))
        return df.astype({"row": "Int64"})

    def problems(self) -> pd.DataFrame:
        """Every problem found: row, column, field, value, reason key and severity ('error' rejects the row)."""
        return self._problem_rows.copy()

    def reason_counts(self) -> pd.DataFrame:
        """Problems grouped by field, reason and severity, most frequent first."""
        df = self.problems()
        if df.empty:
            return pd.DataFrame(columns=["column", "field", "reason", "severity", "rows"])
        return (
            df.groupby(["column", "field", "reason", "severity"], dropna=False)
            .size()
            .rename("rows")
            .reset_index()
            .sort_values("rows", ascending=False, ignore_index=True)
        )

    def discard(self) -> None:
        """Drop the staging table (the load was cancelled)."""
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.staging}")


def _check_mapping(kind: str, mapping: dict[str, str | None], headers: list[str], file_name: str) -> None:
    spec = TABLES[kind]
    found = {f for f in mapping.values() if f}
    derivable = {"amount"} if {"unit_price", "quantity"} <= found else set()
    missing = [f for f in spec.required if f not in found and f not in derivable]
    if missing:
        other = guess_kind(headers, file_name)
        # Another kind is named only when it explains more of the file's columns than the chosen one.
        if other.kind != kind and not other.missing and sum(map(bool, other.mapping.values())) > len(found):
            raise LoadError("err_wrong_kind", kind=kind, other=other.kind, missing=", ".join(missing))
        if not found:
            raise LoadError("err_no_columns", columns=", ".join(headers[:12]))
        raise LoadError("err_missing_required", kind=kind, missing=", ".join(missing))
    doubled = [f for f in found if list(mapping.values()).count(f) > 1]
    if doubled:
        raise LoadError("err_field_twice", fields=", ".join(sorted(doubled)))
    unknown = found - {f.name for f in spec.fields}
    if unknown:
        raise LoadError("err_unknown_field", fields=", ".join(sorted(unknown)), kind=kind)


def _merge_mapping(guessed: dict[str, str | None], chosen: dict[str, str | None]) -> dict[str, str | None]:
    """The guess with the analyst's choices on top; a field they gave to one column leaves the others."""
    taken = {f for c, f in chosen.items() if f and c in guessed}
    return {h: (chosen[h] or None) if h in chosen else (f if f not in taken else None) for h, f in guessed.items()}


def prepare(
    ws: Workspace,
    source: Path | bytes,
    file_name: str,
    kind: str | None = None,
    mapping: dict[str, str | None] | None = None,
    sheet: str | None = None,
    day_first: bool | None = None,
    cursor=None,
) -> Prepared:
    """Read, map, parse and validate a file for workspace ``ws`` without touching the workspace's tables.

    ``source`` is a path or the uploaded bytes and ``file_name`` the original name (it chooses the reader and hints
    at the kind); ``kind`` is the canonical table (recognised from the headers when None); ``mapping`` is {source
    header: field or None} chosen by the analyst (columns it leaves out are guessed); ``sheet`` the Excel sheet
    (default the first); ``day_first`` forces the day/month order of ambiguous dates (None: detected per column);
    ``cursor`` is the session's own, on which the rows are staged. Returns a :class:`Prepared`; raises
    :class:`LoadError` when nothing could be loaded.
    """
    raw = _read(source, file_name, sheet)
    headers = raw.table.column_names
    if raw.table.num_rows == 0 and not raw.bad_rows:
        raise LoadError("err_no_rows", columns=", ".join(headers[:12]))
    guess = guess_kind(headers, file_name, kind)
    kind, suggested = guess.kind, guess_kind(headers, file_name).kind
    mapping = _merge_mapping(guess.mapping, mapping or {})
    _check_mapping(kind, mapping, headers, file_name)
    cur = cursor or ws.cursor()
    staging, formats = _stage(cur, raw, kind, mapping, day_first)
    rows_read = raw.table.num_rows + len(raw.bad_rows)
    # The staging table holds everything now: keep only a few rows of the text for display, so the file's
    # full text is not held in memory while the analyst looks at the report.
    raw.table = pa.Table.from_pylist(raw.table.slice(0, 20).to_pylist(), schema=raw.table.schema)
    rows_ok = cur.execute(f"SELECT count(*) FROM {staging} WHERE len(_errors) = 0").fetchone()[0]
    earlier = cur.execute(
        "SELECT max(loaded_at) FROM _load_history WHERE sha256 = $s AND table_name = $t AND status != 'undone'",
        {"s": raw.sha256, "t": kind},
    ).fetchone()[0]
    return Prepared(
        kind, file_name, raw.sha256, mapping, raw, cur, staging, rows_read, rows_ok, formats, suggested, earlier
    )


def _read(source: Path | bytes, file_name: str, sheet: str | None) -> RawTable:
    """The file as its reader reads it; any failure to read it is a :class:`LoadError`."""
    try:
        return read_any(source, file_name, sheet)
    except ReadError as exc:
        raise LoadError(exc.code, **exc.detail) from exc
    except (MemoryError, duckdb.OutOfMemoryException) as exc:
        raise LoadError.from_failure(exc) from exc
    except Exception as exc:  # a reader's library refusing a file it cannot read: a message, never a traceback
        raise LoadError("err_unreadable", detail=first_line(exc)[:300]) from exc


def _stage(cur, raw: RawTable, kind: str, mapping: dict[str, str | None], day_first: bool | None):
    """Type and check the rows of ``raw`` into a new staging table: (its name, the columns' detected formats)."""
    tag = uuid.uuid4().hex[:10]
    src, staging = f"_src_{tag}", STAGING_PREFIX + tag
    cur.register(src, raw.table.append_column("_row", raw.row_numbers()))
    try:
        types = {c: TABLES[kind].field(f).type for c, f in mapping.items() if f}
        dates = [c for c, t in types.items() if t in DATE_TYPES]
        numbers = [c for c, t in types.items() if t in NUMBER_TYPES]
        formats = parse.detect_formats(cur, quote_ident(src), dates, numbers)
        if day_first is not None:
            formats = {c: parse.ColumnFormat(day_first=day_first) if c in dates else f for c, f in formats.items()}
        # The staging is a table of the workspace, not a temporary one: a replacing load then renames it into place
        # instead of copying ten million rows, and the rows are written (compressed, parallel) once. As a temporary
        # table it also held 1.5 GB of uncompressed memory through the commit, which made the marts spill.
        cur.execute(f"CREATE TABLE {staging} AS\n{staged_select(kind, mapping, formats, src)}")
        key = _dedupe_key(kind, set(filter(None, mapping.values())))
        if key:
            _mark_duplicates(cur, staging, key)
    except (duckdb.Error, MemoryError) as exc:
        cur.execute(f"DROP TABLE IF EXISTS {staging}")
        raise LoadError.from_failure(exc) from exc
    finally:
        cur.unregister(src)
    return staging, formats


def same_key(left: str, right: str, key: list[str]) -> str:
    """SQL condition: rows ``left`` and ``right`` (aliases) are the same record by ``key`` (a list of columns).

    The one rule for in-file duplicates and for an append's updates alike: the key's first column (the record's id)
    must be present and equal, so a row without its id is always new and never matches another; the key's other
    columns (an order's product, a spend row's campaign) match when equal or both absent.
    """
    rest = [f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in key[1:]]
    return " AND ".join([f"{left}.{key[0]} = {right}.{key[0]}", *rest])


def _mark_duplicates(cur, staging: str, key: list[str]) -> None:
    """Reject the later rows of ``staging`` repeating an earlier valid row's ``key``, naming the first one.

    Only valid rows with the key's first column are compared (:func:`same_key`); the first in file order is kept.
    A grouping on a 64-bit hash of the key finds the candidates (few or none in a real export; a hash shared by two
    different keys is settled by the exact grouping on the candidates' rows), so only repeated rows are touched: a
    window partitioned by the key would sort every column of every row, most of a ten-million-row load's staging time.
    """
    cols = ", ".join(key)
    valid = f"{key[0]} IS NOT NULL AND len(_errors) = 0"
    repeated = cur.sql(
        f"""WITH candidates AS (
            SELECT hash({cols}) AS h FROM {staging} WHERE {valid} GROUP BY h HAVING count(*) > 1
        )
        SELECT {cols}, min(_row) AS first_row
        FROM {staging}
        WHERE {valid} AND hash({cols}) IN (SELECT h FROM candidates)
        GROUP BY {cols}
        HAVING count(*) > 1"""
    ).to_arrow_table()
    if repeated.num_rows == 0:
        return
    duplicate = problem_struct(key[0], "'row ' || g.first_row", "reason_duplicate", "error")
    cur.register("_repeated", repeated)
    try:
        cur.execute(
            f"""UPDATE {staging} AS s
            SET _errors = list_append(s._errors, {duplicate})
            FROM _repeated AS g
            WHERE {same_key("s", "g", key)} AND s._row > g.first_row AND len(s._errors) = 0"""
        )
    finally:
        cur.unregister("_repeated")


def _dedupe_key(kind: str, mapped: set[str]) -> list[str]:
    """The columns that identify a row for de-duplication: the table's key when its id was exported."""
    key = TABLES[kind].key
    return [k for k in key if k in mapped] if key and key[0] in mapped else []


def _take_staging(staging: str):
    """A :class:`Change` build that makes the staging table itself the new table (a replacing load).

    Inside the command's transaction it deletes the rejected rows and drops the validation columns (both cheap:
    the stored columns come first, in their types), then renames it; a failed command rolls all of it back, so the
    prepared load is as it was and can be tried again.
    """

    def build(con, new: str) -> None:
        con.execute(f"DELETE FROM {staging} WHERE len(_errors) > 0")
        for column in ("_row", "_errors", "_warnings"):
            con.execute(f"ALTER TABLE {staging} DROP COLUMN {column}")
        con.execute(f"ALTER TABLE {staging} RENAME TO {quote_ident(new)}")

    return build


def _append(prepared: Prepared, record: dict):
    """A :class:`Change` build adding the accepted rows of ``prepared`` to its table as it is at that moment.

    Rows whose key (:func:`same_key`) matches an existing row replace it; ``record['rows_replaced']`` says how
    many. Counted inside the command's transaction, so an earlier file of the same command counts too.
    """
    spec = TABLES[prepared.kind]
    cols = ", ".join(f.name for f in spec.stored_fields)
    accepted = f"SELECT {cols} FROM {prepared.staging} WHERE len(_errors) = 0"
    target = quote_ident(spec.name)
    key = _dedupe_key(prepared.kind, set(prepared.field_to_column))

    def build(con, new: str) -> None:
        kept = f"SELECT {cols} FROM {target}"
        if key:
            match = f"EXISTS (SELECT 1 FROM ({accepted}) s WHERE {same_key('t', 's', key)})"
            record["rows_replaced"] = con.execute(f"SELECT count(*) FROM {target} t WHERE {match}").fetchone()[0]
            kept = f"SELECT {cols} FROM {target} t WHERE NOT {match}"
        con.execute(spec.create_sql(new))
        con.execute(f"INSERT INTO {quote_ident(new)} ({cols}) {kept} UNION ALL {accepted}")

    return build


def commit(ws: Workspace, prepared: Prepared, mode: str = "replace") -> dict:
    """Swap the accepted rows of ``prepared`` into the workspace in one transaction; see :func:`commit_many`."""
    return commit_many(ws, [prepared], mode)[0]


def commit_many(ws: Workspace, files: list[Prepared], mode: str = "replace") -> list[dict]:
    """Load prepared files into the workspace as one command: one transaction, one undo step.

    ``mode`` is 'replace' (each table touched becomes exactly the rows of its files in this command, the first
    replacing and the others added to it) or 'append' (rows whose key matches an existing row replace it; the
    rest are added); 'demo' replaces and marks the workspace as demo data. A replacing load takes the staging
    table over: once it succeeds, ``prepared`` still lists its problems but has no preview. Returns the
    load-history records in file order. Raises :class:`LoadError` when a file has no loadable row, before
    anything changes.
    """
    if empty := [p for p in files if p.rows_ok == 0]:
        raise LoadError("err_nothing_valid", rejected=empty[0].rows_rejected)
    changes, seen = [], set()
    for prepared in files:
        effective = "append" if mode == "append" or prepared.kind in seen else mode
        seen.add(prepared.kind)
        record = {
            "file_name": prepared.file_name,
            "sha256": prepared.sha256,
            "mode": effective,
            "rows_read": prepared.rows_read,
            "rows_loaded": prepared.rows_ok,
            "rows_rejected": prepared.rows_rejected,
            "rows_replaced": 0,
        }
        if effective == "append":
            build = _append(prepared, record)
        else:
            # The problem list is read first (it is cached), so the report can still be written after the swap.
            prepared.problems()
            build = _take_staging(prepared.staging)
        changes.append(Change(prepared.kind, build, record))
    try:
        return ws.apply(changes, con=files[0].cursor if files else None)
    except (duckdb.Error, MemoryError) as exc:
        raise LoadError.from_failure(exc) from exc
