"""The query layer: every metric is one SQL file under ``queries/``; this module loads and runs them.

A query's name is its path without the suffix (``acquisition/channel_conversion``). Its header declares the
parameters it binds and the columns it returns; :func:`run_query` binds exactly the declared parameters (missing
ones as NULL, meaning "all"), so callers can pass the global filters to every query alike.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import duckdb

from .config import QUERIES_DIR
from .i18n import t

_PARAM = re.compile(r"\$(\w+)\s+([A-Z]+(?:\(\d+,\s*\d+\))?(?:\[\])?)")
_COLUMN = re.compile(r"(\w+)\s+([A-Z]+(?:\(\d+,\s*\d+\))?(?:\[\])?)")

# The values every numeric parameter of queries/ may take (inclusive): the pages' widgets are built from these
# bounds and the command line refuses anything outside them, so both ask the same of a query. A window of
# 2,147,483,647 days overflowed DuckDB's date arithmetic and -5 gave negative counts; splits beyond 10-90 put
# (nearly) everyone in one half; weights only matter relative to each other, so 0-3 in halves says all they can.
PARAM_RANGES: dict[str, tuple[int, int] | tuple[float, float]] = {
    "window_days": (7, 730),
    "w_wallet": (0.0, 3.0),
    "w_cross": (0.0, 3.0),
    "w_engagement": (0.0, 3.0),
    "w_stage": (0.0, 3.0),
    "x_split": (10, 90),
    "y_split": (10, 90),
    "f_new": (0.0, 1.0),
    "f_growth": (0.0, 1.0),
    "f_mature": (0.0, 1.0),
    "f_decline": (0.0, 1.0),
    "f_dormant": (0.0, 1.0),
    "target_rate": (0.0, 1.0),
    "limit": (1, 10_000_000),
    "max_points": (1, 100_000),
}
NUMERIC_TYPES = ("INTEGER", "BIGINT", "DOUBLE", "FLOAT")


class QueryTimeout(Exception):
    """A query stopped at its time limit (``seconds``) by :func:`run_query`; DuckDB was interrupted, not killed."""

    def __init__(self, name: str, seconds: float):
        super().__init__(f"{name}: stopped after {seconds:g} s")
        self.name = name
        self.seconds = seconds


@dataclass(frozen=True)
class QueryInfo:
    """A parsed query file: name, purpose, grain, declared parameters and output columns (name -> SQL type).

    ``sql`` is what runs: the file itself, preceded by the queries it names in a ``-- uses:`` header line (each
    becomes a CTE named after the file, the way dbt's ``ref`` works), so one metric is defined in one place.
    ``shared``: the file says ``-- cache: shared``, an expensive building block several queries use; the result
    store keeps it as a result of its own and the queries built on it read its table (see :func:`sql_reading`).
    """

    name: str
    purpose: str
    grain: str
    params: dict[str, str]
    columns: dict[str, str]
    sql: str
    uses: tuple[str, ...] = ()
    shared: bool = False
    text: str = ""


def list_queries(marts: bool = False) -> list[str]:
    """Names of every query file, sorted, without the marts (tables built on load, ``dashboard.marts``) unless asked."""
    names = (p.relative_to(QUERIES_DIR).with_suffix("").as_posix() for p in QUERIES_DIR.rglob("*.sql"))
    return sorted(n for n in names if marts or not n.startswith("marts/"))


def _header_line(lines: list[str], key: str) -> str:
    prefix = f"-- {key}:"
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            # A long header line may continue on the next comment lines starting with '--   '.
            more = itertools.takewhile(lambda ln: ln.startswith("--   "), lines[i + 1 :])
            return " ".join([line[len(prefix) :].strip(), *(ln[2:].strip() for ln in more)])
    return ""


def header(name: str, key: str) -> str:
    """The text of query ``name``'s ``-- key:`` header line (with its continuation lines), or "" without one."""
    return _header_line([ln.rstrip() for ln in load_query(name).text.splitlines()], key)


@lru_cache(maxsize=None)
def load_query(name: str) -> QueryInfo:
    """Read and parse ``queries/<name>.sql``; raises KeyError for an unknown name."""
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR.resolve() not in path.parents or not path.exists():
        raise KeyError(name)
    sql = path.read_text(encoding="utf-8")
    lines = [ln.rstrip() for ln in sql.splitlines()]
    first = lines[0] if lines else ""
    m = re.match(r"--\s*(\w+):\s*(.+)", first)
    purpose = m.group(2) if m else ""
    params = dict(_PARAM.findall(_header_line(lines, "params")))
    columns = dict(_COLUMN.findall(_header_line(lines, "columns")))
    uses = tuple(u.strip() for u in _header_line(lines, "uses").split(",") if u.strip())
    shared = _header_line(lines, "cache") == "shared"
    info = QueryInfo(name, purpose, _header_line(lines, "grain"), params, columns, sql, uses, shared, sql)
    return replace(info, sql=_composed(info, frozenset())) if uses else info


@lru_cache(maxsize=None)
def composed_sql(name: str, provided: frozenset[str] = frozenset()) -> str:
    """The SQL of query ``name`` with the used queries in ``provided`` read as tables of their short name."""
    return _composed(load_query(name), provided)


def _composed(info: QueryInfo, provided: frozenset[str]) -> str:
    # Every shared block read at any depth is one CTE of the outer statement, computed once (materialized):
    # nested in each reader, DuckDB computed a block such as investment/customer_spend once per reader.
    # The other blocks are nested where they are used, so DuckDB inlines them into each reader.
    hoisted = _shared_below(info.uses, provided)
    inner = provided | frozenset(hoisted)
    ctes = [(u, _nested_sql(u, inner), True) for u in hoisted]
    ctes += [(u, _nested_sql(u, inner), False) for u in info.uses if u not in inner]
    return _compose(info.text, ctes) if ctes else info.text


@lru_cache(maxsize=None)
def _nested_sql(name: str, provided: frozenset[str]) -> str:
    # Query ``name`` with each of its uses not in ``provided`` as a CTE of its own statement.
    info = load_query(name)
    ctes = [(u, _nested_sql(u, provided), False) for u in info.uses if u not in provided]
    return _compose(info.text, ctes) if ctes else info.text


@lru_cache(maxsize=None)
def _shared_below(uses: tuple[str, ...], provided: frozenset[str]) -> tuple[str, ...]:
    # The shared blocks read through ``uses`` at any depth, not in ``provided`` nor read only through a provided
    # one, each after the shared blocks it reads itself.
    found: list[str] = []
    for u in uses:
        if u in provided:
            continue
        info = load_query(u)
        found += [s for s in (*_shared_below(info.uses, provided), *([u] if info.shared else [])) if s not in found]
    return tuple(found)


def shared_uses(name: str) -> list[str]:
    """The shared building blocks query ``name`` reads, directly or through other uses (not below a shared one)."""
    found = []
    for u in load_query(name).uses:
        if load_query(u).shared:
            found.append(u)
        else:
            found += [s for s in shared_uses(u) if s not in found]
    return found


def _compose(sql: str, uses: list[tuple[str, str, bool]]) -> str:
    """Prefix ``sql`` with a CTE per (used query, its SQL, materialized?), named after its file (``a/x`` -> ``x``)."""
    ctes = ",\n".join(f"{u.split('/')[-1]} as {'materialized ' if m else ''}(\n{text}\n)" for u, text, m in uses)
    header = [ln for ln in sql.splitlines() if ln.startswith("--")]
    body = "\n".join(ln for ln in sql.splitlines() if not ln.startswith("--")).strip()
    if re.match(r"(?i)with\s", body):
        body = "with " + ctes + ",\n" + body[4:].lstrip()
    else:
        body = "with " + ctes + "\n" + body
    return "\n".join(header) + "\n" + body


def bind(info: QueryInfo, params: dict) -> dict:
    """The parameter dict for ``info``: declared names only, missing ones NULL, empty lists NULL ("all")."""
    out = {}
    for key in info.params:
        value = params.get(key)
        if isinstance(value, (list, tuple)) and not value:
            value = None
        if isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def run_query(con, name: str, timeout=None, **params):
    """Run query ``name`` on connection ``con`` with ``params`` bound and return the result as a DataFrame.

    Parameters not declared in the query's header are ignored, so the global filters can be passed to any query.
    Everything the query uses is computed inside the one statement; nothing is kept (the app, the benchmark and a
    load keep results in ``dashboard.results``). ``timeout`` (seconds) interrupts the statement past it and raises
    :class:`QueryTimeout`.
    """
    info = load_query(name)
    with time_limit(con, name, timeout):
        return con.execute(info.sql, bind(info, params)).df()


def sql_reading(name: str, tables: dict[str, str]) -> str:
    """The SQL of query ``name`` reading each shared block named in ``tables`` from the table given for it.

    ``tables`` maps a block's name (``investment/customer_looks``) to a table holding its result for the same
    parameters: the block becomes a CTE selecting from that table, and what only it used is not computed at all.
    """
    if not tables:
        return load_query(name).sql
    reads = [(block, f"select * from {table}", False) for block, table in tables.items()]
    return _compose(composed_sql(name, frozenset(tables)), reads)


@contextmanager
def time_limit(con, name: str, seconds: float | None):
    """Interrupt the statement running on ``con`` inside the ``with`` after ``seconds`` (raising QueryTimeout).

    DuckDB has no statement timeout setting; interrupting the connection from a timer thread stops the running
    statement at its next check and leaves the connection usable. An interrupt arriving after the statement
    ended does nothing (DuckDB clears it when the next statement starts). No limit when ``seconds`` is falsy.
    """
    if not seconds:
        yield
        return
    fired = threading.Event()

    def stop():
        fired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        if fired.is_set():
            raise QueryTimeout(name, seconds) from exc
        raise
    finally:
        timer.cancel()


_parser = duckdb.connect()
_parser_lock = threading.Lock()


@lru_cache(maxsize=None)
def reads(name: str) -> frozenset[str]:
    """What query or mart ``name`` reads directly: canonical table names and marts (as ``marts/<name>``).

    Found in DuckDB's own parse of the SQL (parameters read as NULL), so a name in a comment or a string never
    counts; the queries it uses are part of its SQL, so what they read counts too.
    """
    from .schema import TABLES

    sql = re.sub(r"\$\w+", "NULL", load_query(name).sql)
    with _parser_lock:
        tree = json.loads(_parser.execute("SELECT json_serialize_sql($s)", {"s": sql}).fetchone()[0])
    if tree.get("error"):
        raise ValueError(f"{name}: {tree.get('error_message')}")
    found, stack = set(), [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                found.add(node["table_name"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    marts = {f"_{n.split('/')[1]}": n for n in list_queries(marts=True) if n.startswith("marts/")}
    return frozenset(marts.get(t, t) for t in found if t in TABLES or t in marts)


@lru_cache(maxsize=None)
def sources(name: str) -> frozenset[str]:
    """The canonical tables query or mart ``name`` reads, directly or through the marts."""
    out: set[str] = set()
    for table in reads(name):
        out |= sources(table) if table.startswith("marts/") else {table}
    return frozenset(out)


def bind_used(info: QueryInfo, sql: str, params: dict) -> dict:
    """``bind(info, params)`` keeping only the parameters ``sql`` still uses (DuckDB rejects unused ones).

    A query text built from ``info`` (a provided block left out, a wrapper around it) may no longer mention
    every parameter the header declares.
    """
    code = re.sub(r"--[^\n]*", "", sql)
    return {k: v for k, v in bind(info, params).items() if re.search(rf"\${k}\b", code)}


def coerce_param(info: QueryInfo, key: str, text: str):
    """Turn a command-line ``KEY=VALUE`` text into the declared parameter type (lists are comma separated).

    A number must lie in the parameter's :data:`PARAM_RANGES`: a ValueError whose text names the range says
    otherwise (also for text that is no number, NaN or infinity).
    """
    sql_type = info.params.get(key)
    if sql_type is None:
        raise KeyError(key)
    if text.lower() in ("", "null", "none"):
        return None
    if sql_type.endswith("[]"):
        return [v.strip() for v in text.split(",") if v.strip()]
    if sql_type == "DATE":
        return date.fromisoformat(text)
    if sql_type in NUMERIC_TYPES or sql_type.startswith("DECIMAL"):
        return _number_in_range(key, text, whole=sql_type in ("INTEGER", "BIGINT"))
    if sql_type == "BOOLEAN":
        return text.lower() in ("1", "true", "yes")
    return text


def _number_in_range(key: str, text: str, whole: bool):
    low, high = PARAM_RANGES[key]
    expected = t("param_range_whole" if whole else "param_range", low=f"{low:,}", high=f"{high:,}")
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ValueError(expected) from None
    if not low <= value <= high:  # NaN compares false, so it is refused too
        raise ValueError(expected)
    return value
