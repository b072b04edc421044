"""The result store: every result the app, the command line, the benchmark and a load ask for is kept here.

A result is a named query (a SQL file of ``queries/`` or a Python model of ``dashboard.models``) with its parameters.
It is computed into a DuckDB table and recorded in an index, ``_results``: name, key (the declared parameters as
JSON), a hash of its definition (the SQL with the marts' definitions, or the model's code and what it reads), the
workspace version it was computed at and the canonical tables it read. One rule says whether a kept result may be
served (:func:`_current`): the same definition, and none of the tables it read changed since. So nothing has to be
cleared when data changes: a load of ad spend leaves every result that reads no ad spend in service.

Two catalogs hold results, under the same index and the same rule:

- ``results_memory``, a DuckDB in-memory database attached to the workspace's: what this process computed on
  demand, up to :data:`MEMORY_BUDGET_MB`, the least recently used dropped first;
- the workspace file: the results a first visit asks for (``first_view`` in the page registry, dashboard/pages.py)
  with all they read, computed by :func:`refresh` inside the transaction of every load, undo and clear, so any later
  process (the app started after a command-line load) serves the Overview at once.

A shared building block (``-- cache: shared``) is a result like any other: a query using it reads its table
(``queries.sql_reading``), so the investment looks are computed once per period and filters for every query built
on them. Tables rather than Arrow objects in Python: DuckDB reads its own tables in parallel and without the GIL,
drops a block's unused columns for free, spills to disk past its memory limit, and one statement both computes a
result and keeps it.
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
import threading
import time
from contextlib import contextmanager
from functools import lru_cache

import duckdb
import pandas as pd

from . import marts, models, pages
from .filters import Filters, default_period
from .queries import bind, bind_used, load_query, shared_uses, sources, sql_reading, time_limit
from .schema import quote_ident

MEMORY = "results_memory"
# What this process keeps in memory before it drops the least recently used results; the file's are not counted.
MEMORY_BUDGET_MB = 1024
# A result used this recently is kept over the budget: a session may be about to read what it just found.
_GRACE_S = 60.0
_INDEX = """CREATE TABLE IF NOT EXISTS {catalog}._results (
    name VARCHAR, key VARCHAR, sql_hash VARCHAR, version INTEGER, sources VARCHAR[], table_name VARCHAR,
    reads VARCHAR[]
)"""
_names = itertools.count(1)
# Small results whose rows a store also keeps as frames (how many, of how many rows at most).
_FRAMES, _FRAME_ROWS = 512, 10_000


def definition(name: str):
    """The definition of result ``name``: a :class:`models.Model` or a parsed query file (``queries.QueryInfo``)."""
    return models.MODELS.get(name) or load_query(name)


def key(name: str, params: dict) -> str:
    """The key of result ``name`` with ``params``: its declared parameters as JSON, missing ones null.

    Two callers asking for the same result with more or fewer arguments get the same key.
    """
    return json.dumps(bind(definition(name), params), default=str, sort_keys=True)


@lru_cache(maxsize=None)
def result_sources(name: str) -> frozenset[str]:
    """The canonical tables result ``name`` reads (a model: those of the results it reads)."""
    model = models.MODELS.get(name)
    return frozenset().union(*map(result_sources, model.uses)) if model else sources(name)


@lru_cache(maxsize=None)
def _hash(name: str) -> str:
    # The marts' definitions count too: a result read from a mart built by other SQL is an old answer.
    model = models.MODELS.get(name)
    text = model.code + "".join(map(_hash, model.uses)) if model else load_query(name).sql + marts.fingerprint()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _current(version: int, tables, changed: dict[str, int]) -> bool:
    # The one rule: a result is right while no table it read has changed since it was computed.
    return all(changed.get(table, 0) <= version for table in tables)


class Results:
    """The results of workspace ``ws``, kept in ``catalog`` (the in-memory one unless told) and read from both.

    ``con`` pins every statement to one connection (a load's transaction); without it each thread uses a cursor of
    its own. ``timeout`` (seconds) stops a computation past it with ``queries.QueryTimeout``.
    """

    def __init__(self, ws, catalog: str | None = None, con=None, timeout: float | None = None):
        self.ws, self.catalog, self.timeout, self._con = ws, catalog or ws.memory, timeout, con
        self._local = threading.local()
        self._lock = threading.Lock()
        self._flights: dict[tuple[str, str], threading.Lock] = {}
        self._used: dict[str, float] = {}
        self._pinned: collections.Counter[str] = collections.Counter()  # read by a computation under way
        self._found: dict[tuple, tuple[str, int, list[str]]] = {}  # (name, key, hash) -> table, version, sources
        self._frames: dict[str, pd.DataFrame] = {}  # small results' rows by table, oldest first
        # Every table this store found or computed, when asked to note them (what a refresh keeps).
        self.touched: set[str] | None = None
        self.computed = 0
        self._tidied_at = -1
        self._sizes: dict[str, int] = {}  # bytes, roughly, of the results this store computed into memory

    def cursor(self):
        """The connection statements of this thread run on."""
        if self._con is not None:
            return self._con
        if getattr(self._local, "cur", None) is None:
            self._local.cur = self.ws.cursor()
        return self._local.cur

    # -- reading ---------------------------------------------------------------------------------------------------
    def frame(self, name: str, params: dict | None = None, inline: bool = False) -> pd.DataFrame:
        """Result ``name`` with ``params`` as a new DataFrame (``attrs["query"]`` names it): kept, or computed now.

        ``inline`` computes the shared blocks it uses inside its own statement instead of keeping them: for
        parameters no other query asks for (the Overview's previous period), where DuckDB then reads only the
        block columns it needs and no million-row block is kept for a period nobody looks at in detail.
        """
        return self._fetch(name, params or {}, inline)[0]

    def _fetch(self, name: str, params: dict, inline: bool) -> tuple[pd.DataFrame, str]:
        try:
            table = self.table(name, params, inline)
            df = self._read(table)
        except duckdb.CatalogException:
            # Dropped by another session between finding and reading it (gone stale, or out of budget): again.
            self._found.pop((name, key(name, params), _hash(name)), None)
            table = self.table(name, params, inline)
            df = self._read(table)
        df.attrs["query"] = name
        return df, table

    def _read(self, table: str) -> pd.DataFrame:
        # A page reads the same small results on every rerun: their rows are kept as a frame too (a copy is handed
        # out), which saves DuckDB's conversion, the larger part of a read. The table stays the result.
        kept = self._frames.get(table)
        if kept is not None:
            return kept.copy()
        df = self.cursor().execute(f"SELECT * FROM {table}").df()
        if len(df) <= _FRAME_ROWS:
            with self._lock:
                self._frames[table] = df.copy()
                while len(self._frames) > _FRAMES:
                    self._frames.pop(next(iter(self._frames)))
        return df

    def table(self, name: str, params: dict, inline: bool = False) -> str:
        """The qualified name of a table holding result ``name`` with ``params``, computing it when none is kept."""
        k = key(name, params)
        found = self._find(name, k)
        if found:
            return found
        with self._flight(name, k):
            # Another session may have computed it while this one waited.
            return self._find(name, k) or self._compute(name, params, k, inline)

    def compute(self, name: str, params: dict, inline: bool = False) -> str:
        """Compute result ``name`` again even when it is kept (how the benchmark times it); its table's name."""
        k = key(name, params)
        con = self.cursor()
        old = con.execute(
            f"DELETE FROM {quote_ident(self.catalog)}._results WHERE name = $n AND key = $k RETURNING table_name",
            {"n": name, "k": k},
        ).fetchall()
        self._drop(con, [(self.catalog, table) for (table,) in old])
        return self._compute(name, params, k, inline)

    def _state(self, con) -> tuple[int, dict[str, int]]:
        rows = con.execute(
            "SELECT key, value FROM _state WHERE key = 'version' OR starts_with(key, 'changed:')"
        ).fetchall()
        state = {k: int(v) for k, v in rows}
        return state["version"], {k.removeprefix("changed:"): v for k, v in state.items() if k != "version"}

    def _catalogs(self) -> tuple[str, ...]:
        return (self.catalog,) if self.catalog == self.ws.catalog else (self.catalog, self.ws.catalog)

    def _find(self, name: str, k: str) -> str | None:
        con = self.cursor()
        _, changed = self._state(con)
        # Where it was found last time, if still right: the index is read only when something changed.
        seen = self._found.get((name, k, _hash(name)))
        if seen and _current(seen[1], seen[2], changed):
            self._used[_bare(seen[0])] = time.monotonic()
            return seen[0]
        for catalog in self._catalogs():
            rows = con.execute(
                f"SELECT table_name, version, sources FROM {quote_ident(catalog)}._results"
                " WHERE name = $n AND key = $k AND sql_hash = $h",
                {"n": name, "k": k, "h": _hash(name)},
            ).fetchall()
            for table, version, tables in rows:
                if _current(version, tables, changed):
                    self._used[table] = time.monotonic()
                    if self.touched is not None:
                        self.touched.add(table)
                    self._found[name, k, _hash(name)] = (_qualified(catalog, table), version, tables)
                    return _qualified(catalog, table)
        return None

    @contextmanager
    def _flight(self, name: str, k: str):
        # One computation of a result at a time: a second session asking for it waits and reads the first one's.
        with self._lock:
            if len(self._flights) > 1000:  # one per result ever asked for: forget those no one is computing
                self._flights = {f: lk for f, lk in self._flights.items() if lk.locked()}
            lock = self._flights.setdefault((name, k), threading.Lock())
        with lock:
            yield

    # -- computing -------------------------------------------------------------------------------------------------
    def _compute(self, name: str, params: dict, k: str, inline: bool) -> str:
        con = self.cursor()
        # The version before computing: should a load commit meanwhile, the result is recorded as older than the
        # change and never served.
        version, changed = self._state(con)
        table = f"_result_{version}_{next(_names)}_{time.time_ns() % 10**9}"
        target = _qualified(self.catalog, table)
        read: list[str] = []  # the kept results it reads: a refresh keeps them with it
        try:
            size = self._build(con, name, params, inline, target, read)
        except duckdb.CatalogException:
            # A block was found where it was last time, but another store (a refresh, the benchmark) has dropped
            # it since: look everything up again.
            self._found.clear()
            read.clear()
            size = self._build(con, name, params, inline, target, read)
        con.execute(
            f"INSERT INTO {quote_ident(self.catalog)}._results VALUES ($n, $k, $h, $v, $s, $t, $r)",
            {
                "n": name, "k": k, "h": _hash(name), "v": version, "s": sorted(result_sources(name)), "t": table,
                "r": sorted({_bare(r) for r in read}),
            },
        )  # fmt: skip
        self.computed += 1
        if self.touched is not None:
            self.touched.add(table)
        self._used[table] = time.monotonic()
        # Tidy when data changed since the last time (stale results go) or when what this store computed may be
        # over the budget: not after every result, which would double the cost of a small one.
        self._sizes[table] = size
        if self.catalog == self.ws.memory and (version != self._tidied_at or sum(self._sizes.values()) > _budget()):
            self._tidied_at = version
            self._tidy(con, changed, table)
        return target

    def _build(self, con, name: str, params: dict, inline: bool, target: str, read: list[str]) -> int:
        # Compute result ``name`` into table ``target``, noting in ``read`` the kept results it read; returns its
        # size in bytes, roughly (8 a cell).
        model = models.MODELS.get(name)
        try:
            if model:

                def get(n: str, inline: bool = False, **p) -> pd.DataFrame:
                    df, got = self._fetch(n, p, inline)
                    self._pin(read, got)
                    return df

                frame = model.fn(get, **bind(model, params))
                view = f"_model_{target.rsplit('.', 1)[-1]}"
                con.register(view, frame)
                try:
                    con.execute(f"CREATE TABLE {target} AS SELECT * FROM {view}")
                finally:
                    con.unregister(view)
                return frame.size * 8
            else:
                blocks = {}
                for block in [] if inline else shared_uses(name):
                    blocks[block] = self.table(block, params)
                    self._pin(read, blocks[block])
                sql = sql_reading(name, blocks)
                with time_limit(con, name, self.timeout):
                    rows = con.execute(f"CREATE TABLE {target} AS {sql}", bind_used(load_query(name), sql, params))
                    return rows.fetchall()[0][0] * len(load_query(name).columns) * 8
        finally:
            with self._lock:
                self._pinned.subtract(_bare(r) for r in read)
                self._pinned = +self._pinned  # keeps only the counts above zero

    def _pin(self, read: list[str], table: str) -> None:
        # A result read by a computation under way is not dropped for the budget until that computation ends.
        with self._lock:
            self._pinned[_bare(table)] += 1
        read.append(table)

    def _tidy(self, con, changed: dict[str, int], newest: str) -> None:
        # Memory goes to what is still right and was used last: stale results first, then the least recently used
        # beyond the budget (never the one just computed: it is the newest).
        with self._lock:
            rows = con.execute(
                f"""SELECT r.table_name, r.version, r.sources, t.estimated_size * t.column_count * 8
                FROM {quote_ident(self.catalog)}._results r JOIN duckdb_tables() t
                    ON t.database_name = $c AND t.table_name = r.table_name""",
                {"c": self.catalog},
            ).fetchall()
            stale = [table for table, version, tables, _ in rows if not _current(version, tables, changed)]
            live = sorted(
                ((self._used.get(table, 0.0), table, size) for table, _, _, size in rows if table not in stale),
                reverse=True,
            )
            total, over, now = 0, [], time.monotonic()
            for used, table, size in live:
                total += size
                # Only its own: another store of this database (the benchmark's, a second Workspace) keeps its own.
                busy = table not in self._used or self._pinned[table] > 0 or now - used <= _GRACE_S or table == newest
                if total > _budget() and not busy:
                    over.append(table)
            self._drop(con, [(self.catalog, table) for table in stale + over])

    def _drop(self, con, tables: list[tuple[str, str]]) -> None:
        for catalog, table in tables:
            con.execute(f"DELETE FROM {quote_ident(catalog)}._results WHERE table_name = $t", {"t": table})
            con.execute(f"DROP TABLE IF EXISTS {_qualified(catalog, table)}")
            self._used.pop(table, None)
            self._sizes.pop(table, None)
            self._frames.pop(_qualified(catalog, table), None)
        gone = {_qualified(catalog, table) for catalog, table in tables}
        for found, seen in list(self._found.items()):
            if seen[0] in gone:
                self._found.pop(found, None)


def _budget() -> int:
    return MEMORY_BUDGET_MB * 2**20


def _qualified(catalog: str, table: str) -> str:
    return f"{quote_ident(catalog)}.{table}"


def _bare(qualified: str) -> str:
    # A result table's own name (``_result_...``), as the index and the bookkeeping hold it.
    return qualified.rsplit(".", 1)[-1]


def create_index(con, catalog: str) -> None:
    """Create the result index ``_results`` in ``catalog`` when it has none (an older workspace's is replaced)."""
    columns = "SELECT column_name FROM duckdb_columns() WHERE database_name = $c AND table_name = '_results'"
    found = {name for (name,) in con.execute(columns, {"c": catalog}).fetchall()}
    if found and "reads" not in found:
        # Results of an older version of the app: derived data, dropped rather than converted.
        for (table,) in con.execute(f"SELECT table_name FROM {quote_ident(catalog)}._results").fetchall():
            con.execute(f"DROP TABLE IF EXISTS {_qualified(catalog, table)}")
        con.execute(f"DROP TABLE {quote_ident(catalog)}._results")
    con.execute(_INDEX.format(catalog=quote_ident(catalog)))


def refresh(ws, con) -> int:
    """Bring the results kept in workspace ``ws``'s file up to its data, on ``con``; returns how many it computed.

    Called by the workspace itself at the end of every load, undo and clear, inside that change's transaction, so a
    reader sees the old data with the old results or the new with the new. It computes what a first visit asks
    for with the default filters (``pages.FIRST_VIEW``); a kept result still right (none of its tables changed) is
    kept as it is, so a load of ad spend or tickets costs nothing here. Everything else kept in the file is dropped.
    """
    store = Results(ws, ws.catalog, con)
    store.touched = set()
    if ws.present_tables(con):
        params = Filters(*default_period(con)).params()
        for page in pages.PAGES:
            for name in page.first_view:
                store.table(name, params)
    index = dict(con.execute(f"SELECT table_name, reads FROM {quote_ident(ws.catalog)}._results").fetchall())
    # What the first view reads is kept with it, at any depth: the pages built on the same blocks find them too.
    kept, todo = set(), [t for t in store.touched if t in index]
    while todo:
        table = todo.pop()
        if table not in kept:
            kept.add(table)
            todo += [t for t in index[table] if t in index]
    store._drop(con, [(ws.catalog, table) for table in index if table not in kept])
    return store.computed
