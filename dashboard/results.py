"""Results computed at the end of a load: what the Overview asks for with the default filters, kept as tables.

The Overview is the page everyone opens first after a load, and it is the widest: every headline KPI for two
periods and the investment quadrants for both, about twenty queries and ten seconds at ten million orders. The
load already holds the data in memory, so it computes those results once, inside DuckDB, into tables of the
workspace (``_result_<n>``, indexed in ``_results``); the app reads them back instead of recomputing
(``ui.query``). A stored result is used only at the workspace version and query text it was computed from, so a
later load, an undo or an edited SQL file never serves an old answer.
"""

from __future__ import annotations

import hashlib

from .filters import Filters, default_period
from .queries import bind_used, cache_key, load_query


def _sql_hash(name: str) -> str:
    return hashlib.sha256(load_query(name).sql.encode()).hexdigest()[:16]


def read(con, name: str, key: str, version: int):
    """The stored result of query ``name`` with cache key ``key`` at workspace ``version``, or None.

    Returns a DataFrame, exactly what :func:`queries.run_query` would return.
    """
    row = con.execute(
        "SELECT table_name FROM _results WHERE version = $v AND name = $n AND key = $k AND sql_hash = $h",
        {"v": version, "n": name, "k": key, "h": _sql_hash(name)},
    ).fetchall()
    if not row:
        return None
    return con.execute(f"SELECT * FROM {row[0][0]}").df()


class _Store:
    """A ``run(name, **params)`` that computes a query into a result table, records it and returns its rows.

    Shared blocks are computed inside each query, as ``ui.query_once`` does, not stored: the Overview reads only
    small results, and keeping a million-row block would cost the load more time than it saves any page.
    """

    def __init__(self, con, version: int):
        self.con, self.version, self.stored = con, version, {}

    def __call__(self, name: str, **params):
        key = cache_key(name, params)
        if (name, key) not in self.stored:
            table = f"_result_{len(self.stored) + 1}"
            info = load_query(name)
            self.con.execute(f"CREATE TABLE {table} AS {info.sql}", bind_used(info, info.sql, params))
            self.con.execute(
                "INSERT INTO _results VALUES ($v, $n, $k, $h, $t)",
                {"v": self.version, "n": name, "k": key, "h": _sql_hash(name), "t": table},
            )
            self.stored[name, key] = table
        return self.con.execute(f"SELECT * FROM {self.stored[name, key]}").df()


def clear(con) -> None:
    """Drop every stored result (inside the caller's transaction)."""
    for (table,) in con.execute("SELECT table_name FROM _results").fetchall():
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DELETE FROM _results")


def refresh(ws) -> int:
    """Recompute the stored results of workspace ``ws`` for its current data; returns how many were stored.

    Call it when a load, an undo or a clear is finished (not per file of a multi-file load). Everything happens
    in one transaction on one snapshot, so a reader sees either the old set or the whole new one.
    """
    from .overview import compute_kpis, quadrant_counts

    con = ws.cursor()
    # The workspace's lock keeps loads out until the transaction ends: the version read here is then the one
    # every stored result was computed at.
    with ws.lock:
        con.execute("BEGIN TRANSACTION")
        try:
            clear(con)
            present = ws.present_tables()
            version = int(con.execute("SELECT value FROM _state WHERE key = 'version'").fetchone()[0])
            store = _Store(con, version)
            if present:
                filters = Filters(*default_period(con))
                compute_kpis(store, filters, present)
                if "orders" in present:
                    quadrant_counts(store, filters)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(store.stored)
