"""Results computed at the end of a load: what the Overview asks for with the default filters, kept as tables.

The Overview is the page everyone opens first after a load, and it is the widest: every headline KPI for two
periods and the investment quadrants for both, about twenty queries and ten seconds at ten million orders. So a
load ends by computing those results once, inside DuckDB, into tables of the workspace (``_result_<version>_<n>``,
indexed in ``_results``), and the app reads them back instead of recomputing (``ui.query``). A stored result is
served only at the workspace version it belongs to and with the query text and mart definitions it was computed
from, so an edited SQL file never serves an old answer; a later load keeps the results that read none of the
tables it changed and recomputes the rest.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from . import marts
from .filters import Filters, default_period
from .queries import cache_key, load_query, shared_uses, statement
from .schema import TABLES


@lru_cache(maxsize=None)
def _sql_hash(name: str) -> str:
    # The marts' definitions count too: a result read from a mart built by other SQL is an old answer.
    return hashlib.sha256((load_query(name).sql + marts.fingerprint()).encode()).hexdigest()[:16]


@lru_cache(maxsize=None)
def sources(name: str) -> frozenset[str]:
    """The canonical tables query ``name`` reads, directly or through the marts and the queries it uses."""
    code = re.sub(r"--[^\n]*", "", load_query(name).sql)
    found = set()
    for table in re.findall(r"(?i)\b(?:from|join)\s+(\w+)", code):
        if table in TABLES:
            found.add(table)
        elif table.startswith("_") and table[1:] in marts.MARTS:
            found |= marts.sources(table[1:])
    return frozenset(found)


def read(con, name: str, key: str, version: int, as_arrow: bool = False):
    """The stored result of query ``name`` with cache key ``key`` at workspace ``version``, or None.

    Returns what :func:`queries.run_query` would: a DataFrame, or a pyarrow Table with ``as_arrow``.
    """
    row = con.execute(
        "SELECT table_name FROM _results WHERE version = $v AND name = $n AND key = $k AND sql_hash = $h",
        {"v": version, "n": name, "k": key, "h": _sql_hash(name)},
    ).fetchall()
    if not row:
        return None
    sql = f"SELECT * FROM {row[0][0]}"
    # Arrow through a cursor of its own, as run_query does: the relation API refuses a connection mid-result.
    return con.cursor().sql(sql).to_arrow_table() if as_arrow else con.execute(sql).df()


class _Store:
    """A ``run(name, **params)`` that computes a query into a result table, records it and returns its rows.

    It runs the Overview as the page does: the period's shared blocks (the investment looks, the lead outcomes)
    are stored too and read by the queries built on them, as ``ui.query`` keeps them, so the Investment and
    Acquisition pages find them on a first visit; the previous period's queries (:meth:`once`, as
    ``ui.query_once``) compute their blocks inside. ``reusable`` maps (name, key) to the table of an earlier
    result still right at this version: it is moved to the new version instead of computed again.
    """

    def __init__(self, con, version: int, reusable: dict, inline: bool = False, stored: dict | None = None):
        self.con, self.version, self.reusable, self.inline = con, version, reusable, inline
        self.stored = {} if stored is None else stored

    def once(self, name: str, **params):
        """Run ``name`` with its shared blocks computed inside it (the previous period)."""
        return _Store(self.con, self.version, self.reusable, True, self.stored)(name, **params)

    def _table(self, name: str, params: dict) -> str:
        key = cache_key(name, params)
        if (name, key) in self.stored:
            return self.stored[name, key]
        # The blocks first, also under a result that is kept: the pages read them too.
        provided = {} if self.inline else {b: self._table(b, params) for b in shared_uses(name)}
        if (name, key) in self.reusable:
            table = self.reusable[name, key]
            self.con.execute("UPDATE _results SET version = $v WHERE table_name = $t", {"v": self.version, "t": table})
        else:
            table = f"_result_{self.version}_{len(self.stored) + 1}"
            provide = (lambda block: self.con.table(provided[block])) if provided else None
            with statement(self.con, name, provide, **params) as (sql, bound):
                self.con.execute(f"CREATE OR REPLACE TABLE {table} AS {sql}", bound)
            self.con.execute(
                "INSERT INTO _results VALUES ($v, $n, $k, $h, $t)",
                {"v": self.version, "n": name, "k": key, "h": _sql_hash(name), "t": table},
            )
        self.stored[name, key] = table
        return table

    def __call__(self, name: str, **params):
        return self.con.execute(f"SELECT * FROM {self._table(name, params)}").df()


def refresh(ws) -> int:
    """Bring the stored results of workspace ``ws`` up to its current data; returns how many it computed.

    Call it when a load, an undo or a clear is finished (not per file of a multi-file load). A result whose
    tables have not changed since it was stored is kept, so a small load (ad spend, tickets) costs nothing here
    and one of NPS answers recomputes only what reads them. Everything happens in one transaction on one
    snapshot, so a reader sees either the old set or the whole new one.
    """
    from .overview import compute_kpis, quadrant_counts

    con = ws.cursor()
    # One transaction under the workspace's lock: no load comes between, so the version read here is the one
    # every stored result is computed at.
    with ws.transaction(con):
        state = dict(con.execute("SELECT key, value FROM _state").fetchall())
        version = int(state["version"])
        old = con.execute("SELECT name, key, version, sql_hash, table_name FROM _results").fetchall()
        reusable = {
            (name, key): table
            for name, key, at, sql_hash, table in old
            if sql_hash == _sql_hash(name) and all(int(state.get(f"changed:{t}", 0)) <= at for t in sources(name))
        }
        store = _Store(con, version, reusable)
        present = ws.present_tables()
        if present:
            filters = Filters(*default_period(con))
            compute_kpis(store, filters, present, run_previous=store.once)
            if "orders" in present:
                quadrant_counts(store, filters, run_previous=store.once)
        kept = set(store.stored.values())
        for *_, table in old:
            if table not in kept:
                con.execute(f"DROP TABLE IF EXISTS {table}")
                con.execute("DELETE FROM _results WHERE table_name = $t", {"t": table})
    return len(kept - set(reusable.values()))
