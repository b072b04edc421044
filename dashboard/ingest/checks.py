"""The SQL check compiler: it only writes the SQL that types a staged file's text and says why a row is rejected.

Each mapped field's type and rules become its typed column and its checks: errors reject the row, warnings flag
it. :mod:`.load` runs the result.
"""

from __future__ import annotations

from ..schema import TABLES, quote_ident
from . import parse

DATE_TYPES = {"date", "timestamp", "month"}
NUMBER_TYPES = {"amount", "number", "score"}
_PROBLEM = "STRUCT(field VARCHAR, value VARCHAR, reason VARCHAR, severity VARCHAR)"


def problem_struct(field_name: str, raw: str, reason: str, severity: str) -> str:
    """The SQL struct (type ``_PROBLEM``) recording that field ``field_name``, value ``raw`` (SQL), has ``reason``."""
    return f"{{'field': '{field_name}', 'value': {raw}::VARCHAR, 'reason': '{reason}', 'severity': '{severity}'}}"


def _problem(cond: str, field_name: str, raw: str, reason: str, severity: str) -> tuple[str, str]:
    """One row check: (condition, the problem it records when true)."""
    return cond, problem_struct(field_name, raw, reason, severity)


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


class _Layers:
    """The select lists of the staging query's layers (norm, typed, ranged) and its row checks, field by field."""

    def __init__(self):
        self.norm, self.typed, self.ranged, self.errors, self.warnings = ["_row"], ["_row"], [], [], []


def _date_value(f, col: str, fmt: parse.ColumnFormat, layers: _Layers) -> str:
    """The typed value of date field ``f`` read from source column ``col``."""
    raw, n = quote_ident(col), quote_ident(f"_n_{f.name}")
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
    layers.norm.append(f"{fast} AS {fastq}")
    layers.norm.append(f"CASE WHEN {fast} IS NULL THEN {parse.date_norm_expr(col)} END AS {n}")
    value = f"coalesce({fastq}, {parse.timestamp_expr(f'_n_{f.name}', fmt)})"
    # Year 0 or 9999 is a typo or a placeholder, not an order date: emptied, it is reported as not a date.
    layers.ranged.append(f"CASE WHEN year({f.name}) BETWEEN 1900 AND 2100 THEN {f.name} END AS {f.name}")
    return {"date": f"CAST({value} AS DATE)", "month": f"CAST(date_trunc('month', {value}) AS DATE)"}.get(f.type, value)


def _number_value(f, col: str, fmt: parse.ColumnFormat, layers: _Layers) -> str:
    """The typed value of number field ``f`` read from source column ``col``."""
    n = quote_ident(f"_n_{f.name}")
    sql_type = "DOUBLE" if f.type == "score" else f.sql_type
    layers.norm.append(f"{parse.number_norm_expr(col)} AS {n}")
    value = _number(f.name, fmt, sql_type)
    if sql_type.startswith("DECIMAL"):
        # An amount is stored to the cent; one written with more decimals (12.345, or 1,234 read as 1.234 by a
        # decimal-comma column) loads rounded, and the report says so. It is read again unrounded only where a third
        # decimal can be: a comma, a dot 3+ characters from the end (12.50 cannot) or an exponent (1e-3).
        exact = quote_ident(f"_x_{f.name}")
        longer = (
            f"contains({n}, ',') OR length({n}) - instr({n}, '.') > 2 AND contains({n}, '.')"
            f" OR contains({n}, 'e') OR contains({n}, 'E')"
        )
        layers.typed.append(f"CASE WHEN {longer} THEN {_number(f.name, fmt, 'DECIMAL(38,10)')} END AS {exact}")
        rounded = f"CASE WHEN {exact} IS NULL OR {f.name} IS NULL THEN false ELSE {exact} <> {f.name} END"
        layers.warnings.append(_problem(rounded, f.name, quote_ident("_raw_" + f.name), "reason_rounded", "warning"))
    if f.type == "score":
        return f"CASE WHEN ({value}) BETWEEN 0 AND 10 AND ({value}) = round({value}) THEN ({value})::INTEGER END"
    if sql_type == "DOUBLE":
        # A float cast reads "nan" and "inf": not quantities. NaN is then absent, infinity not a number.
        layers.ranged.append(f"CASE WHEN isfinite({f.name}) THEN {f.name} END AS {f.name}")
    return value


def _presence_checks(f, rawq: str, bad_reason: str, layers: _Layers) -> None:
    """Add the checks of field ``f``: a value that did not parse (``bad_reason``) and a missing required one."""
    # Every problem has a NULL value, and a CASE looks at the raw text only then: DuckDB computes both sides
    # of an AND for every row of a projection. A text value is the trimmed raw text, empty as NULL; a number or
    # a date is also absent when the cell says so in words (parse.MISSING_WORDS: nan, NULL, #N/A ...).
    present = parse.present_expr(rawq) if bad_reason else f"nullif(trim({rawq}), '') IS NOT NULL"
    if bad_reason:
        bad = f"CASE WHEN {f.name} IS NULL THEN {present} ELSE false END"
        severity = "error" if f.required else "warning"
        (layers.errors if f.required else layers.warnings).append(_problem(bad, f.name, rawq, bad_reason, severity))
    if f.required:
        missing = f"CASE WHEN {f.name} IS NULL THEN NOT {present} ELSE false END" if bad_reason else f"{f.name} IS NULL"
        layers.errors.append(_problem(missing, f.name, rawq, "reason_missing", "error"))


def _typed_select(kind: str, f2c: dict[str, str], formats: dict) -> _Layers:
    """The layers typing and checking each mapped field (``f2c``: field -> source column) of ``kind``."""
    layers = _Layers()
    for f in [f for f in TABLES[kind].fields if f.name in f2c]:
        col = f2c[f.name]
        raw, rawq = quote_ident(col), quote_ident("_raw_" + f.name)
        fmt = formats.get(col, parse.ColumnFormat())
        layers.norm.append(f"{raw} AS {rawq}")
        if f.type in DATE_TYPES:
            value, bad_reason = _date_value(f, col, fmt, layers), "reason_bad_date"
        elif f.type in NUMBER_TYPES:
            value = _number_value(f, col, fmt, layers)
            bad_reason = "reason_score_range" if f.type == "score" else "reason_bad_number"
        else:
            text = parse.id_expr(col) if f.type == "id" else parse.text_expr(col)
            value, bad_reason = text.replace(raw, rawq), ""
        layers.typed += [f"{value} AS {f.name}", rawq]
        _presence_checks(f, rawq, bad_reason, layers)
    return layers


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
    absent = [f for f in spec.stored_fields if f.name not in mapped]
    cols = [f"{computed.get(f.name, f'CAST(NULL AS {f.sql_type})')} AS {f.name}" for f in absent]
    required = [n for n in computed if spec.field(n).required]
    checks = [_problem(f"{n} IS NULL", n, "NULL", "reason_missing", "error") for n in required]
    if checks:
        cols.append(f"list_concat(_errors, {_problem_list(checks)}) AS _errors")
    return (", " + ", ".join(cols)) if cols else ""


def staged_select(kind: str, mapping: dict[str, str | None], formats: dict, src: str) -> str:
    """The SELECT typing and checking relation ``src`` (a file's text columns and ``_row``) as table ``kind``.

    ``mapping`` is {source header: field or None}, ``formats`` {source header: parse.ColumnFormat}. It returns the
    stored fields first, in their types (a replacing load renames the staging table into place), then ``_row``,
    ``_errors`` (problems that reject the row) and ``_warnings``. Plain values (ISO dates, 1234.50) take a fast
    cast, only the rest the normalising parser, and the checks read the typed columns: nothing is parsed twice.
    """
    f2c = {f: c for c, f in mapping.items() if f}
    layers = _typed_select(kind, f2c, formats)
    ranged = f"* REPLACE ({', '.join(layers.ranged)})" if layers.ranged else "*"
    raw_cols = ", ".join(quote_ident("_raw_" + f) for f in f2c)
    derived = _derived_columns(kind, set(f2c))
    stored = ", ".join(f"CAST({f.name} AS {f.sql_type}) AS {f.name}" for f in TABLES[kind].stored_fields)
    return f"""WITH norm AS (SELECT {", ".join(layers.norm)} FROM {src}),
            typed AS (SELECT {", ".join(layers.typed)} FROM norm),
            ranged AS (SELECT {ranged} FROM typed),
            checked AS (SELECT * EXCLUDE ({raw_cols}),
                {_problem_list(layers.errors)} AS _errors,
                {_problem_list(layers.warnings)} AS _warnings
                FROM ranged),
            completed AS (SELECT * {"EXCLUDE (_errors)" if "AS _errors" in derived else ""} {derived} FROM checked)
            SELECT {stored}, _row, _errors, _warnings FROM completed"""
