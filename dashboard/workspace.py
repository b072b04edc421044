"""The DuckDB workspace: canonical tables, a version counter every cache keys on, load history and undo.

Internal tables start with an underscore so analysts who open the file see the canonical tables first:
``_state`` (key/value, including ``version``), ``_load_history``, ``_undo_<table>`` (the table as it was before
its last load), the marts (``_customer_days`` ...: derived tables rebuilt in the same transaction as every load
that changes their sources, see ``dashboard.marts``) and ``_results`` with its ``_result_<version>_<n>`` tables (the
Overview's results, computed at the end of a load, see ``dashboard.results``) and ``_staging_<tag>`` (a file being
loaded, waiting for the analyst's confirmation, see ``dashboard.ingest.load``).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import config, marts
from .schema import TABLES, quote_ident

# Tables holding a file being loaded are named STAGING_PREFIX + a random tag (dashboard.ingest.load).
STAGING_PREFIX = "_staging_"

_HISTORY_SQL = """
CREATE TABLE IF NOT EXISTS _load_history (
    load_id INTEGER, loaded_at TIMESTAMP, table_name VARCHAR, file_name VARCHAR, sha256 VARCHAR,
    mode VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rows_replaced BIGINT,
    rows_after BIGINT, status VARCHAR
)"""
# Results computed at the end of a load (dashboard.results): which table holds query `name` with cache `key`,
# computed at workspace `version` from the query text hashed as `sql_hash`.
_RESULTS_SQL = """
CREATE TABLE IF NOT EXISTS _results (
    version INTEGER, name VARCHAR, key VARCHAR, sql_hash VARCHAR, table_name VARCHAR
)"""


class Workspace:
    """An open workspace database.

    Parameters
    ----------
    path : Path or str
        The DuckDB file; created with empty canonical tables when missing. ``":memory:"`` works for tests.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # No progress bar: rebuilding the marts takes long enough to draw one on the CLI's and server's terminal.
        self.con = duckdb.connect(str(path))
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute("SET memory_limit = $m", {"m": config.MEMORY_LIMIT})
        self._lock = threading.Lock()
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        # Every canonical table always exists (empty until loaded), so every query can run on any workspace.
        for table in TABLES.values():
            self.con.execute(table.create_sql())
        self.con.execute(_HISTORY_SQL)
        self.con.execute(_RESULTS_SQL)
        self.con.execute("CREATE TABLE IF NOT EXISTS _state (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self.con.execute("INSERT INTO _state VALUES ('version', '0') ON CONFLICT DO NOTHING")
        # A load prepared but neither committed nor cancelled when its process ended left its staging table.
        stale = "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND starts_with(table_name, $p)"
        for (name,) in self.con.execute(stale, {"p": STAGING_PREFIX}).fetchall():
            self.con.execute(f"DROP TABLE {quote_ident(name)}")
        if self.get_state("marts") != marts.fingerprint():
            # Built by another version of the mart SQL: rebuild, and move the version on so no cache serves
            # results computed from the old definitions.
            self.refresh_marts()
            self._bump(self.con)

    def refresh_marts(self, con=None, table: str | None = None) -> None:
        """Rebuild the marts built from canonical ``table`` (every mart when None), on ``con`` when given.

        Given a connection, the rebuild joins that connection's transaction, so a failed load leaves the marts as
        they were.
        """
        marts.refresh(con or self.con, marts.affected(table) if table else marts.MARTS)
        self.set_state("marts", marts.fingerprint(), con)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return a new cursor (a connection of its own, with its own temporary tables) on this database."""
        return self.con.cursor()

    # -- state -----------------------------------------------------------------------------------------------
    def get_state(self, key: str, default: str | None = None) -> str | None:
        """Return a value of the ``_state`` table."""
        row = self.cursor().execute("SELECT value FROM _state WHERE key = $k", {"k": key}).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str, con=None) -> None:
        """Set a value of the ``_state`` table (inside the caller's transaction when ``con`` is given)."""
        (con or self.con).execute(
            "INSERT INTO _state VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"k": key, "v": value},
        )

    @property
    def version(self) -> int:
        """The counter that changes with every load or undo; caches key on it."""
        return int(self.get_state("version", "0"))

    @property
    def is_demo(self) -> bool:
        """True while the workspace still holds the bundled demo data."""
        return self.get_state("demo", "0") == "1"

    def row_counts(self) -> dict[str, int]:
        """Rows per canonical table."""
        sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {quote_ident(t)}" for t in TABLES)
        return dict(self.cursor().execute(sql).fetchall())

    def present_tables(self) -> set[str]:
        """Canonical tables that hold at least one row."""
        return {t for t, n in self.row_counts().items() if n}

    def history(self) -> pd.DataFrame:
        """The load history, newest first."""
        return self.cursor().execute("SELECT * FROM _load_history ORDER BY load_id DESC").df()

    # -- loads -------------------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self, con):
        """Run the ``with`` block as one transaction on ``con``, one change of the data at a time.

        It holds the workspace's lock, so no other load, undo or refresh of stored results interleaves; it
        commits when the block ends and rolls back (re-raising) when it raises.
        """
        with self._lock:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def swap_in(self, table: str, build, params: dict, record: dict, con=None) -> dict:
        """Atomically replace ``table`` by what ``build`` makes and record the load.

        ``build`` is a SELECT producing the table's full new contents (run on ``con`` with ``params``), or a
        function ``build(con, name)`` that creates table ``name`` holding them, with the table's stored columns in
        order and type, inside the swap's transaction. The current contents become ``_undo_<table>``. Either
        everything happens or nothing: a failure leaves the table, the history and the version exactly as they
        were. Returns ``record`` completed with ``load_id``, ``rows_after`` and ``version``.
        """
        con = con or self.cursor()
        spec = TABLES[table]
        new, undo = quote_ident(f"_new_{table}"), quote_ident(f"_undo_{table}")
        cols = ", ".join(f.name for f in spec.stored_fields)
        with self.transaction(con):
            con.execute(f"DROP TABLE IF EXISTS {new}")
            if callable(build):
                build(con, new)
            else:
                con.execute(spec.create_sql(f"_new_{table}"))
                con.execute(f"INSERT INTO {new} ({cols}) SELECT {cols} FROM ({build})", params)
            rows_after = con.execute(f"SELECT count(*) FROM {new}").fetchone()[0]
            con.execute(f"DROP TABLE IF EXISTS {undo}")
            con.execute(f"ALTER TABLE {quote_ident(table)} RENAME TO {undo}")
            con.execute(f"ALTER TABLE {new} RENAME TO {quote_ident(table)}")
            self.refresh_marts(con, table)
            load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM _load_history").fetchone()[0]
            # Only the newest load of a table can be undone: older snapshots are gone.
            con.execute(
                "UPDATE _load_history SET status = 'final' WHERE table_name = $t AND status = 'loaded'",
                {"t": table},
            )
            row = {**record, "load_id": load_id, "rows_after": rows_after, "status": "loaded"}
            row["loaded_at"] = datetime.now().replace(microsecond=0)
            names = list(row)
            con.execute(
                f"INSERT INTO _load_history ({', '.join(names)}) VALUES ({', '.join('$' + n for n in names)})",
                row,
            )
            version = self._bump(con, table)
            if row.get("mode") != "demo":
                self.set_state("demo", "0", con)
        return {**row, "version": version}

    def _bump(self, con, table: str | None = None) -> int:
        version = int(con.execute("SELECT value FROM _state WHERE key = 'version'").fetchone()[0]) + 1
        self.set_state("version", str(version), con)
        if table:
            # The version that last changed each table: a stored result that reads none of the tables changed
            # since it was computed is still right (dashboard.results keeps it).
            self.set_state(f"changed:{table}", str(version), con)
        return version

    def undo_last(self, table: str) -> bool:
        """Restore ``table`` to how it was before its last load; False when there is nothing to undo."""
        con = self.cursor()
        undo = quote_ident(f"_undo_{table}")
        with self.transaction(con):
            last = con.execute(
                "SELECT load_id FROM _load_history WHERE table_name = $t AND status = 'loaded'", {"t": table}
            ).fetchone()
            exists = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n", {"n": f"_undo_{table}"}
            ).fetchone()[0]
            if not last or not exists:
                return False
            con.execute(f"DROP TABLE {quote_ident(table)}")
            con.execute(f"ALTER TABLE {undo} RENAME TO {quote_ident(table)}")
            con.execute("UPDATE _load_history SET status = 'undone' WHERE load_id = $id", {"id": last[0]})
            self.refresh_marts(con, table)
            self._bump(con, table)
        return True

    def empty(self, table: str) -> None:
        """Empty one canonical table as an undoable load of nothing (recorded in the history as 'clear')."""
        record = {"table_name": table, "file_name": "", "mode": "clear", "rows_read": 0, "rows_loaded": 0,
                  "rows_rejected": 0, "rows_replaced": 0}  # fmt: skip
        self.swap_in(table, f"SELECT * FROM {quote_ident(table)} WHERE false", {}, record)

    def clear(self) -> None:
        """Empty every canonical table (one undoable load each) to start over with one's own data."""
        for table, rows in self.row_counts().items():
            if rows:
                self.empty(table)
        self.set_state("demo", "0")

    def close(self) -> None:
        """Close the database."""
        self.con.close()
