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
from .mapping import guess_kind
from .raw import MessageError, first_line
from .readers import RawTable, ReadError, read_any

DATE_TYPES = {"date", "timestamp", "month"}
NUMBER_TYPES = {"amount", "number", "score"}


class LoadError(MessageError):
    """Nothing of the file can be loaded; ``code`` is an i18n message key and ``detail`` its parameters."""

    @classmethod
    def from_failure(cls, exc: BaseException) -> LoadError:
        """The error to show for a failure of the database or the machine while a file is staged or loaded.

        The load rolled back, so the message says nothing changed and names the cause in words: memory, a value
        too large for its column or for a total, else the database's own first line (never a traceback).
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
        cols = ", ".join(
            f.name
            for f in TABLES[self.kind].stored_fields
            if f.name in self.field_to_column or f.name in ("amount", "gross_margin")
        )
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
        bad = pd.DataFrame(
            [(r, "", text, reason, "error") for r, reason, text in self.raw.bad_rows],
            columns=["row", "field", "value", "reason", "severity"],
        )
        df = pd.concat([bad, df], ignore_index=True) if len(bad) else df
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
    merged = {h: (chosen[h] or None) if h in chosen else (f if f not in taken else None) for h, f in guessed.items()}
    return merged


_PROBLEM = "STRUCT(field VARCHAR, value VARCHAR, reason VARCHAR, severity VARCHAR)"


def _problem_struct(field_name: str, raw: str, reason: str, severity: str) -> str:
    """The SQL struct recording one problem of a row (its type is ``_PROBLEM``); ``raw`` is a SQL expression."""
    return f"{{'field': '{field_name}', 'value': {raw}::VARCHAR, 'reason': '{reason}', 'severity': '{severity}'}}"


def _problem(cond: str, field_name: str, raw: str, reason: str, severity: str) -> tuple[str, str]:
    """One row check: (condition, the problem it records when true)."""
    return cond, _problem_struct(field_name, raw, reason, severity)


def _problem_list(checks: list[tuple[str, str]]) -> str:
    """A SQL list of the problems of ``checks`` that hold for a row (empty when none does).

    Nearly every row passes every check, so the list is built only for rows where one fails: building a list of
    structs for each of ten million rows and filtering it costs more than the checks themselves.
    """
    empty = f"[]::{_PROBLEM}[]"
    if not checks:
        return empty
    failed = " OR ".join(f"({cond})" for cond, _ in checks)
    items = ", ".join(f"CASE WHEN {cond} THEN {problem} END" for cond, problem in checks)
    return f"CASE WHEN {failed} THEN list_filter([{items}], lambda x: x IS NOT NULL) ELSE {empty} END"


def _number(field_name: str, fmt: parse.ColumnFormat, sql_type: str) -> str:
    """SQL reading the normalised number column of ``field_name`` as ``sql_type``."""
    n = quote_ident(f"_n_{field_name}")
    value = parse.number_expr(f"_n_{field_name}", fmt, sql_type)
    # coalesce runs the parser only on the values the cast left NULL (a CASE would cast twice). A decimal-comma
    # column has no plain values to cast: 12,50 does not cast, and 1.234 would cast to the wrong number.
    # DuckDB's cast also reads 1_000 as 1000: such a value goes to the parser, which holds it to groups of three.
    plain = f"CASE WHEN contains({n}, '_') THEN NULL ELSE try_cast({n} AS {sql_type}) END"
    return value if fmt.decimal_comma else f"coalesce({plain}, {value})"


def _typed_select(kind: str, mapping: dict[str, str | None], formats: dict) -> tuple[str, str, str, list, list]:
    """Build the SQL layers for the mapped fields of ``kind``: (norm, typed, ranged, errors, warnings).

    ``norm`` and ``typed`` are column lists; ``ranged`` is a ``* REPLACE (...)`` list that empties dates outside
    the years 1900-2100 (year 0 or 9999 is a typo or a placeholder, not an order date), so the date checks
    report them like any value that is not a date, and floats that are not finite.

    Values already in a plain form (ISO dates, 1234.50) take a fast cast; only the rest go through the
    normalising parser. Problem checks read the typed columns, so no value is parsed twice.
    """
    spec = TABLES[kind]
    f2c = {f: c for c, f in mapping.items() if f}
    norm, typed, ranged, errors, warnings = ["_row"], ["_row"], [], [], []
    for f in spec.fields:
        col = f2c.get(f.name)
        if col is None:
            continue
        raw = quote_ident(col)
        rawq = quote_ident("_raw_" + f.name)
        n = quote_ident(f"_n_{f.name}")
        fmt = formats.get(col, parse.ColumnFormat())
        norm.append(f"{raw} AS {rawq}")
        if f.type in DATE_TYPES:
            # The plain cast once, kept beside the text the parser normalises for the values it could not read.
            # DuckDB also casts the word "epoch" (to 1970-01-01): only a value written as that date is one.
            cast = f"try_cast(trim({raw}) AS TIMESTAMP)"
            # It also reads "10:00 PM" as 10:00: a value ending in M (AM/PM), or in a blank after it, goes to the
            # parser (a suffix test: rtrim on ten million values cost more).
            fast = (
                f"CASE WHEN {raw} LIKE '%M' OR {raw} LIKE '%m' OR {raw} LIKE '% ' THEN NULL"
                f" WHEN {cast} = TIMESTAMP '1970-01-01' AND NOT starts_with(trim({raw}), '1970') THEN NULL"
                f" ELSE {cast} END"
            )
            fastq = quote_ident(f"_f_{f.name}")
            norm.append(f"{fast} AS {fastq}")
            norm.append(f"CASE WHEN {fast} IS NULL THEN {parse.date_norm_expr(col)} END AS {n}")
            value = f"coalesce({fastq}, {parse.timestamp_expr(f'_n_{f.name}', fmt)})"
            value = {"date": f"CAST({value} AS DATE)", "month": f"CAST(date_trunc('month', {value}) AS DATE)"}.get(
                f.type, value
            )
            bad_reason = "reason_bad_date"
            ranged.append(f"CASE WHEN year({f.name}) BETWEEN 1900 AND 2100 THEN {f.name} END AS {f.name}")
        elif f.type in NUMBER_TYPES:
            sql_type = "DOUBLE" if f.type == "score" else f.sql_type
            norm.append(f"{parse.number_norm_expr(col)} AS {n}")
            value = _number(f.name, fmt, sql_type)
            if sql_type.startswith("DECIMAL"):
                # An amount is stored to the cent; one written with more decimals (12.345, or 1,234 read as 1.234
                # by a decimal-comma column) loads rounded, and the report says so.
                # Read again unrounded only where a third decimal can be: a comma, a dot 3+ characters from the
                # end (12.50 cannot) or an exponent (1e-3), which is few rows of a real export.
                exact = quote_ident(f"_x_{f.name}")
                longer = (
                    f"contains({n}, ',') OR length({n}) - instr({n}, '.') > 2 AND contains({n}, '.')"
                    f" OR contains({n}, 'e') OR contains({n}, 'E')"
                )
                typed.append(f"CASE WHEN {longer} THEN {_number(f.name, fmt, 'DECIMAL(38,10)')} END AS {exact}")
                rounded = f"CASE WHEN {exact} IS NULL OR {f.name} IS NULL THEN false ELSE {exact} <> {f.name} END"
                warnings.append(_problem(rounded, f.name, rawq, "reason_rounded", "warning"))
            if f.type == "score":
                value = (
                    f"CASE WHEN ({value}) BETWEEN 0 AND 10 AND ({value}) = round({value}) THEN ({value})::INTEGER END"
                )
            elif sql_type == "DOUBLE":
                # A float cast reads "nan" and "inf": not quantities. NaN is then absent, infinity not a number.
                ranged.append(f"CASE WHEN isfinite({f.name}) THEN {f.name} END AS {f.name}")
            bad_reason = "reason_score_range" if f.type == "score" else "reason_bad_number"
        else:
            text = parse.id_expr(col) if f.type == "id" else parse.text_expr(col)
            value, bad_reason = text.replace(raw, rawq), ""
        typed.append(f"{value} AS {f.name}")
        typed.append(rawq)
        # Every problem has a NULL value, and a CASE looks at the raw text only then: DuckDB computes both sides
        # of an AND for every row of a projection. A text value is the trimmed raw text, empty as NULL; a number or
        # a date is also absent when the cell says so in words (parse.MISSING_WORDS: nan, NULL, #N/A ...).
        present = parse.present_expr(rawq) if bad_reason else f"nullif(trim({rawq}), '') IS NOT NULL"
        target = errors if f.required else warnings
        severity = "error" if f.required else "warning"
        if bad_reason:
            bad = f"CASE WHEN {f.name} IS NULL THEN {present} ELSE false END"
            target.append(_problem(bad, f.name, rawq, bad_reason, severity))
        if f.required:
            missing = (
                f"CASE WHEN {f.name} IS NULL THEN NOT {present} ELSE false END" if bad_reason else f"{f.name} IS NULL"
            )
            errors.append(_problem(missing, f.name, rawq, "reason_missing", "error"))
    replace = f"* REPLACE ({', '.join(ranged)})" if ranged else "*"
    return ", ".join(norm), ", ".join(typed), replace, errors, warnings


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
    """Read, map, parse and validate a file without touching the workspace's tables.

    Parameters
    ----------
    ws : the workspace the load is meant for.
    source : a path, or the uploaded bytes.
    file_name : the original file name (chooses the reader, hints at the kind).
    kind : the canonical table; recognised from the headers when None.
    mapping : {source header: field or None} chosen by the analyst; columns it leaves out are guessed.
    sheet : the Excel sheet (default the first).
    day_first : force the day/month order of ambiguous dates (None = detect from each column).
    cursor : the session's own cursor, on which the file's rows are registered while they are staged.

    Returns a :class:`Prepared`; raises :class:`LoadError` when nothing could be loaded.
    """
    try:
        raw = read_any(source, file_name, sheet)
    except ReadError as exc:
        raise LoadError(exc.code, **exc.detail) from exc
    except (MemoryError, duckdb.OutOfMemoryException) as exc:
        raise LoadError.from_failure(exc) from exc
    except Exception as exc:  # a reader's library refusing a file it cannot read: a message, never a traceback
        raise LoadError("err_unreadable", detail=first_line(exc)[:300]) from exc
    headers = raw.table.column_names
    if raw.table.num_rows == 0 and not raw.bad_rows:
        raise LoadError("err_no_rows", columns=", ".join(headers[:12]))
    guess = guess_kind(headers, file_name, kind)
    kind = guess.kind
    suggested = guess_kind(headers, file_name).kind
    mapping = _merge_mapping(guess.mapping, mapping or {})
    _check_mapping(kind, mapping, headers, file_name)

    cur = cursor or ws.cursor()
    tag = uuid.uuid4().hex[:10]
    src, staging = f"_src_{tag}", STAGING_PREFIX + tag
    table = raw.table.append_column("_row", raw.row_numbers())
    cur.register(src, table)
    try:
        spec = TABLES[kind]
        f2c = {f: c for c, f in mapping.items() if f}
        dates = [c for f, c in f2c.items() if spec.field(f).type in DATE_TYPES]
        numbers = [c for f, c in f2c.items() if spec.field(f).type in NUMBER_TYPES]
        formats = parse.detect_formats(cur, quote_ident(src), dates, numbers)
        if day_first is not None:
            formats = {c: parse.ColumnFormat(day_first=day_first) if c in dates else f for c, f in formats.items()}
        norm, typed, ranged, errors, warnings = _typed_select(kind, mapping, formats)
        derived = _derived_columns(kind, set(f2c))
        key = _dedupe_key(kind, set(f2c))
        raw_cols = ", ".join(quote_ident("_raw_" + f) for f in f2c)
        # The staging is a table of the workspace, not a temporary one, with the stored columns first and in their
        # types: a replacing load then renames it into place instead of copying ten million rows, and the rows are
        # written (compressed, parallel) once. As a temporary table it also held 1.5 GB of uncompressed memory
        # through the commit, which made the marts spill.
        stored = ", ".join(f"CAST({f.name} AS {f.sql_type}) AS {f.name}" for f in spec.stored_fields)
        cur.execute(
            f"""CREATE TABLE {staging} AS
            WITH norm AS (SELECT {norm} FROM {src}),
            typed AS (SELECT {typed} FROM norm),
            ranged AS (SELECT {ranged} FROM typed),
            checked AS (SELECT * EXCLUDE ({raw_cols}),
                {_problem_list(errors)} AS _errors,
                {_problem_list(warnings)} AS _warnings
                FROM ranged),
            completed AS (SELECT * {"EXCLUDE (_errors)" if "AS _errors" in derived else ""} {derived} FROM checked)
            SELECT {stored}, _row, _errors, _warnings FROM completed"""
        )
        if key:
            _mark_duplicates(cur, staging, key)
    except (duckdb.Error, MemoryError) as exc:
        cur.execute(f"DROP TABLE IF EXISTS {staging}")
        raise LoadError.from_failure(exc) from exc
    finally:
        cur.unregister(src)
    rows_read = table.num_rows + len(raw.bad_rows)
    # The staging table holds everything now: keep only a few rows of the text for display, so the file's
    # full text is not held in memory while the analyst looks at the report.
    raw.table = pa.Table.from_pylist(raw.table.slice(0, 20).to_pylist(), schema=raw.table.schema)
    del table
    rows_ok = cur.execute(f"SELECT count(*) FROM {staging} WHERE len(_errors) = 0").fetchone()[0]
    digest = raw.sha256
    earlier = cur.execute(
        "SELECT max(loaded_at) FROM _load_history WHERE sha256 = $s AND table_name = $t AND status != 'undone'",
        {"s": digest, "t": kind},
    ).fetchone()[0]
    return Prepared(
        kind, file_name, digest, mapping, raw, cur, staging, rows_read, rows_ok, formats, suggested, earlier
    )


def same_key(left: str, right: str, key: list[str]) -> str:
    """SQL condition: rows ``left`` and ``right`` (aliases) are the same record by ``key``.

    The one rule for in-file duplicates and for an append's updates alike: the key's first column (the record's
    id) must be present and equal, so a row without its id is always new and never matches another; the key's
    other columns (an order's product, a spend row's campaign) match when equal or both absent.
    """
    first, *rest = key
    return " AND ".join(
        [f"{left}.{first} = {right}.{first}", *(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in rest)]
    )


def _mark_duplicates(cur, staging: str, key: list[str]) -> None:
    """Reject the later rows of ``staging`` repeating an earlier valid row's ``key``, naming the first one.

    Only valid rows with the key's first column are compared (:func:`same_key`); the first in file order is
    kept. A grouping on a 64-bit hash of the key finds the candidates (few or none in a real export; a hash shared
    by two different keys is settled by the exact grouping on the candidates' rows), so only repeated rows are
    touched: a window partitioned by the key would sort every column of every row, most of a ten-million-row
    load's staging time.
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
    duplicate = _problem_struct(key[0], "'row ' || g.first_row", "reason_duplicate", "error")
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


def _derived_columns(kind: str, mapped: set[str]) -> str:
    """Select-list tail completing the stored fields: derived values, NULL for fields the file lacks.

    Orders without a line amount get unit price x quantity; orders with cost but no margin get amount - cost.
    A required field that had to be derived and came out empty rejects its row.
    """
    spec = TABLES[kind]
    computed = {}
    if kind == "orders":
        if "amount" not in mapped:
            computed["amount"] = "CAST(round(unit_price * quantity, 2) AS DECIMAL(18,2))"
        if "gross_margin" not in mapped and "cost" in mapped:
            computed["gross_margin"] = "amount - cost"
    cols = [
        f"{computed.get(f.name, f'CAST(NULL AS {f.sql_type})')} AS {f.name}"
        for f in spec.stored_fields
        if f.name not in mapped
    ]
    checks = [
        _problem(f"{name} IS NULL", name, "NULL", "reason_missing", "error")
        for name in computed
        if spec.field(name).required
    ]
    if checks:
        cols.append(f"list_concat(_errors, {_problem_list(checks)}) AS _errors")
    return (", " + ", ".join(cols)) if cols else ""


def _dedupe_key(kind: str, mapped: set[str]) -> list[str]:
    """The columns that identify a row for de-duplication: the table's key when its id was exported."""
    spec = TABLES[kind]
    if not spec.key or spec.key[0] not in mapped:
        return []
    return [k for k in spec.key if k in mapped]


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
    for prepared in files:
        if prepared.rows_ok == 0:
            raise LoadError("err_nothing_valid", rejected=prepared.rows_rejected)
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
