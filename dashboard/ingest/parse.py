"""SQL expressions that turn raw export text into typed values, decided per column, never per row.

Everything a reader produces is text. Each typed field becomes one DuckDB expression over its source column, so
parsing ten million rows runs vectorised inside DuckDB. The format of a column (day-first dates, decimal comma) is
detected once from the column as a whole by :func:`detect_formats`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import quote_ident

# Currency markers allowed around a number; anything else makes the value unparseable rather than silently dropped.
_CURRENCY = r"(?:[¥￥$€£]|rmb|cny|usd|eur|hkd|gbp|jpy|chf|us\$|hk\$|元|块)"
_NUMBER_SHAPE = (
    rf"^\(?\s*[-−+]?\s*{_CURRENCY}?\s*[-−+]?\s*\d[\d.,'\s\x{{00a0}}\x{{202f}}]*\s*{_CURRENCY}?\s*\)?\s*[-−]?$"
)
# A date after normalisation (年/月/日, slashes and dots folded to '-', 'T' to a space).
_YMD = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$"
_XYY = r"^(\d{1,2})-(\d{1,2})-(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_YEAR_MONTH = r"^(\d{4})-(\d{1,2})-?$"
_SERIAL = r"^\d{5}(\.\d+)?$"


# What exports write for "no value" in a number or date cell: pandas and NumPy (nan), databases (NULL, None, and
# \N from MySQL's and PostgreSQL's dumps) and Excel (#N/A). Read as an empty cell, not as a value that failed to
# parse. An id saying so is no id (every such row would otherwise be one customer, or replace another on append);
# other text keeps them as written: "NA" is a region (North America) as often as it is "not available".
MISSING_WORDS = ("nan", "null", "none", "n/a", "#n/a", "na", "\\n")
_NO_ID_WORDS = tuple(w for w in MISSING_WORDS if w != "na")


# What an id may be padded with and still mean its content: spaces of every width, tabs, line breaks, a
# zero-width space or a BOM pasted in with it. An id of nothing but these is no id ("\t" is not a customer).
_BLANKS = " \t\n\r\x0b\x0c\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200C))) + "\u202f\u205f\u2060\u3000\ufeff"
_BLANK_CODES = "(" + ", ".join(str(ord(c)) for c in _BLANKS) + ")"


def id_expr(column: str) -> str:
    """Return a SQL expression for an id column: stripped of padding, NULL when empty or saying "no value".

    Padding is :data:`_BLANKS`; the words are :data:`MISSING_WORDS` but "NA". Nearly no id is padded, so the
    costly strip runs only when the first or last character is padding: over ten
    million ids 0.8 s instead of 4.1 s (``trim`` of spaces alone takes 0.5 s).
    """
    c = quote_ident(column)
    padded = f"unicode({c}) IN {_BLANK_CODES} OR unicode(right({c}, 1)) IN {_BLANK_CODES}"
    stripped = f"CASE WHEN {padded} THEN trim({c}, {_lit(_BLANKS)}) ELSE {c} END"
    # The words are all four characters or fewer: the length test spares nearly every id the lower-casing.
    words = ", ".join(_lit(w) for w in _NO_ID_WORDS)
    return f"CASE WHEN length({c}) <= 6 AND lower(trim({c})) IN ({words}) THEN NULL ELSE nullif({stripped}, '') END"


def present_expr(column: str) -> str:
    """Return a SQL test that raw text ``column`` holds a value: not NULL, blank or one of :data:`MISSING_WORDS`."""
    words = ", ".join(_lit(w) for w in ("", *MISSING_WORDS))
    return f"coalesce(lower(trim({column})) NOT IN ({words}), false)"


def _lit(text: str) -> str:
    """A SQL string literal of a constant of this module (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class ColumnFormat:
    """What was decided about one source column: date order for dates, decimal separator for numbers."""

    day_first: bool | None = None
    decimal_comma: bool = False
    ambiguous: bool = False


# What may follow a time of day to say its zone: Z, UTC/GMT/CST, an offset (+08, +0800, +08:00, GMT+8) and a
# region in brackets (Java's ZonedDateTime). The time is kept as written, the local time the business recorded,
# so its calendar day is theirs: 2024-01-01 03:00+08:00 is a sale of January 1st wherever the server runs.
# Fractions of a second go too (the folding of dots below would read them as a date part); ISO datetimes with
# fractions never come here, the plain cast reads them.
_ZONE = (
    r"(\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?"
    r"\s*(?:Z|[A-Z]{2,5})?\s*(?:[+-]\d{1,2}(?::?\d{2}){0,2})?\s*(?:\[[^\]]*\])?$"
)


# A 12-hour clock: "3:00 PM", "3:00pm", "3:00 p.m." and Chinese 下午3:00 all become "3:00 pm" first (lower case, so
# the zone pattern, upper case, does not take it for a zone), then "3:00 PM" with the rest of the value, and the
# hour is read with its half of the day (DuckDB's plain cast would drop the PM).
_CLOCK = r"(\d{1,2}:\d{2}(?::\d{2})?)"
# What may follow a 12-hour clock: fractions of a second before the AM/PM, a zone after it (dropped, as below).
_AFTER_CLOCK = r"(?:[.,]\d+)?\s*"
_ZONE_TAIL = r"\s*(?:Z|[A-Z]{2,5})?\s*(?:[+-]\d{1,2}(?::?\d{2}){0,2})?\s*(?:\[[^\]]*\])?$"
_HALF_DAYS = (
    (rf"{_CLOCK}{_AFTER_CLOCK}[Aa]\.?\s*[Mm]\.?{_ZONE_TAIL}", "am"),
    (rf"{_CLOCK}{_AFTER_CLOCK}[Pp]\.?\s*[Mm]\.?{_ZONE_TAIL}", "pm"),
    *((rf"{word}\s*{_CLOCK}", half) for word, half in
      (("上午", "am"), ("凌晨", "am"), ("早上", "am"), ("下午", "pm"), ("晚上", "pm"), ("中午", "pm")))
)  # fmt: skip
_TWELVE_HOUR = r"^[0-9-]+ \d{1,2}:\d{2}(:\d{2})? [AP]M$"


# Full-width digits and signs (Chinese input methods type them): read as the ASCII ones they are.
_FULL_WIDTH, _HALF_WIDTH = "０１２３４５６７８９．，－＋（）：／", "0123456789.,-+():/"
# Dates written with month names (Jan 15, 2024; 15-Jan-24; January 15, 2024 3:05 PM), after folding: upper case,
# '/' and '.' as '-'. Two-digit years first: '%y' cannot take the first two digits of a four-digit year and stop.
_MONTH_NAMES = [
    f"{d}{t}" for d in ("%b %d, %Y", "%B %d, %Y", "%d-%b-%y", "%d-%b-%Y", "%d-%B-%Y", "%d %b %Y", "%d %B %Y")
    for t in ("", " %I:%M %p", " %I:%M:%S %p", " %H:%M", " %H:%M:%S")
]  # fmt: skip


def _norm_date(col: str) -> str:
    # A bare Excel serial keeps its decimal point; every other date has its separators folded to '-'.
    local = f"translate(trim({col}), {_lit(_FULL_WIDTH)}, {_lit(_HALF_WIDTH)})"
    for pattern, half in _HALF_DAYS:
        local = f"regexp_replace({local}, {_lit(pattern)}, {_lit(chr(92) + '1 ' + half)})"
    local = f"regexp_replace({local}, {_lit(_ZONE)}, '\\1')"
    return (
        f"CASE WHEN regexp_matches(trim({col}), '{_SERIAL}') THEN trim({col}) ELSE upper(regexp_replace("
        f"replace(replace(replace(replace(replace({local}, '年', '-'), '月', '-'), '日', ''),"
        f" '/', '-'), '.', '-'), '(\\d)T(\\d)|\\s+', '\\1 \\2', 'g')) END"
    )


def _stamp(n: str, parts: str, y: int, m: int, d: int) -> str:
    """Assemble 'Y-M-D H:M:S' from regexp groups of ``n`` and cast it; an impossible date (Feb 30) gives NULL."""

    def grp(i: int) -> str:
        return f"regexp_extract({n}, '{parts}', {i})"

    return (
        f"try_cast(lpad({grp(y)}, 4, '0') || '-' || lpad({grp(m)}, 2, '0') || '-' || lpad({grp(d)}, 2, '0')"
        f" || ' ' || lpad(coalesce(nullif({grp(4)}, ''), '0'), 2, '0') || ':' || coalesce(nullif({grp(5)}, ''), '00')"
        f" || ':' || coalesce(nullif({grp(6)}, ''), '00') AS TIMESTAMP)"
    )


def date_norm_expr(column: str) -> str:
    """Return the normalised text of a date column, the input that :func:`timestamp_expr` expects."""
    return _norm_date(quote_ident(column))


def number_norm_expr(column: str) -> str:
    """Return the normalised text of a number column, the input that :func:`number_expr` expects."""
    return f"trim(replace({quote_ident(column)}, '−', '-'))"


def timestamp_expr(column: str, fmt: ColumnFormat) -> str:
    """Return a SQL expression parsing a normalised date column (see :func:`date_norm_expr`) to TIMESTAMP.

    NULL where a value cannot be read.

    Accepts ISO dates and datetimes, ``2024/1/5``, ``20240105``, ``2024年1月5日``, ``05/01/2024`` (the column's
    day/month order from ``fmt``) and Excel serial day numbers.
    """
    n = quote_ident(column)
    xyy = _stamp(n, _XYY, 3, 2, 1) if fmt.day_first else _stamp(n, _XYY, 3, 1, 2)
    dmy, mdy = ("%d-%m-%Y", "%m-%d-%Y") if fmt.day_first else ("%m-%d-%Y", "%d-%m-%Y")
    twelve = "[" + ", ".join(_lit(f"{d} %I:%M{sec} %p") for d in ("%Y-%m-%d", dmy) for sec in (":%S", "")) + "]"
    return (
        f"CASE WHEN {n} IS NULL OR {n} = '' THEN NULL"
        f" WHEN regexp_matches({n}, '{_SERIAL}') AND {n}::DOUBLE BETWEEN 1 AND 2958465"
        f" THEN TIMESTAMP '1899-12-30' + to_microseconds(({n}::DOUBLE * 86400000000)::BIGINT)"
        f" WHEN regexp_matches({n}, '{_COMPACT}') THEN try_strptime({n}, '%Y%m%d')"
        f" WHEN regexp_matches({n}, '{_TWELVE_HOUR}') THEN try_strptime({n}, {twelve})"
        f" WHEN regexp_matches({n}, '{_YMD}') THEN {_stamp(n, _YMD, 1, 2, 3)}"
        f" WHEN regexp_matches({n}, '{_YEAR_MONTH}') THEN try_strptime(regexp_extract({n}, '{_YEAR_MONTH}', 1) || '-'"
        f" || regexp_extract({n}, '{_YEAR_MONTH}', 2) || '-1', '%Y-%m-%d')"
        f" WHEN regexp_matches({n}, '{_XYY}') THEN {xyy}"
        # A digit too: strptime also reads the word 'epoch' as 1970-01-01.
        f" WHEN regexp_matches({n}, '[A-Z]{{3}}.*\\d|\\d.*[A-Z]{{3}}')"
        f" THEN try_strptime({n}, [{', '.join(map(_lit, _MONTH_NAMES))}])"
        f" ELSE NULL END"
    )


def number_expr(column: str, fmt: ColumnFormat, sql_type: str) -> str:
    """Return a SQL expression parsing a normalised number column (:func:`number_norm_expr`) to ``sql_type``.

    Understands currency symbols, negatives written ``-12``, ``12-`` or ``(12.00)``, and each value's separators
    the way it evidently reads: with both a comma and a dot the last one is the decimal mark (``1,234.56`` and
    ``1.234,56`` are both 1234.56); a separator repeated, or followed by other than three digits, can only be
    grouping or only the decimal mark (``1.234.567``, ``12,5``, ``12.5``); only ``1,234`` and ``1.234`` read
    either way, and for those the column's style decides (``fmt.decimal_comma``). Groups must be of three
    digits (or Indian lakh grouping, ``1,23,456``), spaces and apostrophes only between groups of three. A value
    that reads no way is NULL (the load reports it); none changes by a factor without a word.
    """
    s = f"translate({quote_ident(column)}, {_lit(_FULL_WIDTH)}, {_lit(_HALF_WIDTH)})"
    d = f"regexp_replace({s}, '[^0-9.,]', '', 'g')"
    ambiguous = f"replace(replace({d}, '.', ''), ',', '.')" if fmt.decimal_comma else f"replace({d}, ',', '')"
    dot_decimal = f"replace({d}, ',', '')"
    comma_decimal = f"replace(replace({d}, '.', ''), ',', '.')"
    commas, dots = r"[0-9]{1,3}(,[0-9]{3})*", r"[0-9]{1,3}(\.[0-9]{3})*"
    lakh = r"[0-9]{1,2}(,[0-9]{2})*,[0-9]{3}"
    readings = [
        (r"^[0-9]*$", d),
        (r"^[1-9][0-9]{0,2}[.,][0-9]{3}$", ambiguous),
        (r"^[0-9]*[.,][0-9]+$", f"replace({d}, ',', '.')"),
        (rf"^({commas}|{lakh})$", dot_decimal),
        (rf"^{dots}$", f"replace({d}, '.', '')"),
        (rf"^({commas}|{lakh})\.[0-9]+$", dot_decimal),
        (rf"^{dots},[0-9]+$", comma_decimal),
    ]
    clean = "CASE " + " ".join(f"WHEN regexp_matches({d}, {_lit(r)}) THEN {v}" for r, v in readings) + " END"
    # A space or apostrophe between digits groups thousands: "12 5" is not 125.
    bad_gap = _lit(r"\d[\s'\x{00a0}\x{202f}]+(\d{1,2}|\d{4,})(\D|$)")
    return (
        f"CASE WHEN {s} IS NULL OR {s} = '' OR NOT regexp_matches(lower({s}), {_lit(_NUMBER_SHAPE)})"
        f" OR regexp_matches({s}, {bad_gap}) THEN NULL"
        f" ELSE try_cast({clean} AS {sql_type})"
        f" * CASE WHEN regexp_matches({s}, '^\\(.*\\)$|^[(]?\\s*-|-$|-\\s*\\d') THEN -1 ELSE 1 END END"
    )


def text_expr(column: str) -> str:
    """Return a SQL expression for a text column: trimmed, empty as NULL, otherwise exactly as written."""
    return f"nullif(trim({quote_ident(column)}), '')"


def detect_formats(con, relation: str, date_columns: list[str], number_columns: list[str]) -> dict[str, ColumnFormat]:
    """Decide the day/month order of each date column and the decimal separator of each number column.

    ``relation`` is a table or view of text columns on ``con``. A date column is day-first when some value has a
    first part above 12, month-first when some value has a second part above 12, and ambiguous (day-first assumed,
    flagged) when neither happens. A number column uses a decimal comma when values like ``1.234,50`` or ``12,5``
    outnumber values like ``1,234.50`` or ``12.5``.
    """
    exprs, keys = [], []
    for c in date_columns:
        # Only values shaped like 05/01/2024 can be ambiguous: a separator in 2nd or 3rd place, checked cheaply
        # before the regular expression runs.
        col, raw = quote_ident(c), f"trim({quote_ident(c)})"
        shape = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{4}"
        # Read on the value as written when it starts with a digit (trimming ten million values costs more than
        # the test): nothing is trimmed off its start, and what trim takes off its end is never a separator.
        guard = " OR ".join(f"substr({{v}}, {i}, 1) IN ('/', '.', '-')" for i in (2, 3))
        digit = f"substr({col}, 1, 1) BETWEEN '0' AND '9'"
        guard = f"CASE WHEN {digit} THEN {guard.format(v=col)} ELSE {guard.format(v=raw)} END"
        first = f"CASE WHEN {guard} THEN try_cast(regexp_extract({raw}, '{shape}', 1) AS INTEGER) END"
        second = f"CASE WHEN {guard} THEN try_cast(regexp_extract({raw}, '{shape}', 2) AS INTEGER) END"
        exprs += [
            f"count(*) FILTER (WHERE {first} > 12)",
            f"count(*) FILTER (WHERE {second} > 12)",
            f"count(*) FILTER (WHERE {first} IS NOT NULL)",
        ]
        keys.append(("date", c))
    for c in number_columns:
        # A comma can only vote for a decimal comma, so values without one are settled without regexes: a CASE,
        # because DuckDB computes both sides of an AND for every row of a projection. The comma is looked for in
        # the value as written: trimming ten million values first took most of the time.
        col = quote_ident(c)
        s = f"trim({col})"
        exprs.append(
            f"count(*) FILTER (WHERE CASE WHEN contains({col}, ',')"
            f" THEN regexp_matches({s}, ',\\d{{1,2}}\\)?\\s*\\D*$')"
            f" OR regexp_matches({s}, '\\.\\d{{3}},') ELSE false END)"
        )
        keys.append(("number", c))
    if not exprs:
        return {}
    row = con.execute(f"SELECT {', '.join(exprs)} FROM {relation}").fetchone()
    out, i = {}, 0
    for kind, c in keys:
        if kind == "date":
            day_votes, month_votes, xyy = row[i : i + 3]
            i += 3
            if day_votes and not month_votes:
                out[c] = ColumnFormat(day_first=True)
            elif month_votes and not day_votes:
                out[c] = ColumnFormat(day_first=False)
            else:
                out[c] = ColumnFormat(day_first=day_votes >= month_votes, ambiguous=bool(xyy))
        else:
            comma_votes = row[i]
            i += 1
            out[c] = ColumnFormat(decimal_comma=bool(comma_votes) and comma_votes > _dot_votes(con, relation, c))
    return out


def _dot_votes(con, relation: str, column: str) -> int:
    """Values that read as a decimal point (12.5, 1,234.50): asked only when some value voted for a comma."""
    s = f"trim({quote_ident(column)})"
    return con.execute(
        f"SELECT count(*) FILTER (WHERE regexp_matches({s}, '\\.\\d{{1,2}}\\)?\\s*\\D*$')"
        f" OR regexp_matches({s}, ',\\d{{3}}\\.')) FROM {relation}"
    ).fetchone()[0]
