"""Derived tables ("marts") rebuilt from the canonical tables whenever they change.

At ten million order lines, grouping by a text customer id, counting distinct order ids and windowing over each
customer's orders cost seconds per query. The marts do that work once per load, inside the load's transaction,
so every query reads small integer-keyed rows and a cache keyed on the workspace version never sees a half-built
mart. Their SQL lives in ``queries/marts/`` like every other query; a table ``marts/x`` is stored as ``_x``.
"""

from __future__ import annotations

import contextlib
import hashlib

import duckdb

from .queries import bind_used, header, list_queries, load_query, reads, sources


def _build_order() -> tuple[str, ...]:
    # Every mart after the marts it reads (found in its SQL): a new mart file needs no list to be kept in order.
    pending = {n.split("/")[1]: {r.split("/")[1] for r in reads(n) if r.startswith("marts/")} for n in _files()}
    order: list[str] = []
    while pending:
        ready = sorted(name for name, needs in pending.items() if needs <= set(order))
        if not ready:
            raise ValueError(f"marts read each other in a circle: {sorted(pending)}")
        order += ready
        for name in ready:
            del pending[name]
    return tuple(order)


def _files() -> list[str]:
    return [n for n in list_queries(marts=True) if n.startswith("marts/")]


MARTS = _build_order()


def _is_temporary(name: str) -> bool:
    # Declared in the file's header: "-- mart: temporary, ...".
    return header(f"marts/{name}", "mart").startswith("temporary")


def affected(*tables: str) -> tuple[str, ...]:
    """The marts a load of canonical ``tables`` changes, in build order (empty: nothing to rebuild)."""
    return tuple(m for m in MARTS if sources(f"marts/{m}") & set(tables))


def fingerprint() -> str:
    """A digest of every mart's SQL: a workspace built with other definitions gets its marts rebuilt on open."""
    text = "\n".join(load_query(f"marts/{name}").sql for name in MARTS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def refresh(con, names: tuple[str, ...] = MARTS) -> None:
    """Rebuild marts ``names`` (all by default) on ``con``, inside the caller's transaction when it has one."""
    # Marts are read through keys and ORDER BYs, never in stored order: letting DuckDB write rows in any order
    # lets it build ten-million-row tables in parallel without holding them all in memory first.
    con.execute("SET preserve_insertion_order = false")
    try:
        for name in names:
            info = load_query(f"marts/{name}")
            kind = "TEMP TABLE" if _is_temporary(name) else "TABLE"
            # A mart built on parameterised blocks takes their defaults: every parameter NULL. A mart whose
            # header gives an order ("-- order: filter_group") is stored sorted by it, so a read filtering on those
            # columns skips the row groups outside its range (DuckDB keeps each one's min and max).
            order = header(f"marts/{name}", "order")
            sql = f"SELECT * FROM ({info.sql}) ORDER BY {order}" if order else info.sql
            con.execute(f"CREATE OR REPLACE {kind} _{name} AS {sql}", bind_used(info, info.sql, {}))
        for name in names:
            if _is_temporary(name):
                con.execute(f"DROP TABLE IF EXISTS _{name}")
    finally:
        # After a failed statement the transaction is aborted and refuses every statement until its rollback: a
        # RESET here would raise "transaction is aborted" in place of the real error. The caller's rollback
        # restores the setting (Workspace.transaction).
        with contextlib.suppress(duckdb.TransactionException):
            con.execute("RESET preserve_insertion_order")
