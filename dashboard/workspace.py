"""The DuckDB workspace: canonical tables, a version counter every cache keys on, load history and undo.

Internal tables start with an underscore so analysts who open the file see the canonical tables first:
``_state`` (key/value, including ``version``), ``_load_history``, ``_undo_<table>`` (the table as it was before
its last load), the marts (``_customer_days`` ...: derived tables rebuilt in the same transaction as every load
that changes their sources, see ``dashboard.marts``), ``_results`` with its ``_result_...`` tables (the results
a first visit asks for, computed at the end of every change, see ``dashboard.results``) and ``_staging_<tag>`` (a
file being loaded, waiting for the analyst's confirmation, see ``dashboard.ingest.load``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import config, marts, results
from .schema import TABLES, quote_ident

# Tables holding a file being loaded are named STAGING_PREFIX + a random tag (dashboard.ingest.load).
STAGING_PREFIX = "_staging_"

_HISTORY_SQL = """
CREATE TABLE IF NOT EXISTS _load_history (
    load_id INTEGER, loaded_at TIMESTAMP, table_name VARCHAR, file_name VARCHAR, sha256 VARCHAR,
    mode VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rows_replaced BIGINT,
    rows_after BIGINT, status VARCHAR, batch_id INTEGER
)"""


class WorkspaceBusy(RuntimeError):
    """Another process holds the workspace file; ``pid`` is that process (None when DuckDB did not say)."""

    def __init__(self, path: Path | None, pid: int | None):
        super().__init__(f"{path} is in use by process {pid}")
        self.path = path
        self.pid = pid


@dataclass
class Change:
    """One table's new contents within a command (see :meth:`Workspace.apply`).

    ``build`` is a SELECT of the table's full new contents, or a function ``build(con, name)`` that creates table
    ``name`` holding them (the table's stored columns in order and type). ``record`` is the load-history entry:
    file name, sha256, mode and row counts; a ``build`` function may complete it (rows replaced by an append).
    """

    table: str
    build: str | Callable
    record: dict


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
        try:
            self.con = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            # DuckDB lets one process open the file at a time and names the one that has it.
            if "lock" not in str(exc).lower():
                raise
            found = re.search(r"PID (\d+)", str(exc))
            raise WorkspaceBusy(self.path, int(found.group(1)) if found else None) from exc
        self.con.execute("SET enable_progress_bar = false")
        # Defence in depth: no query file, load or mart needs a file, an extension or another database (uploads
        # arrive as Arrow tables registered on a cursor), so no SQL run here can read or write outside the workspace
        # (read_csv, COPY ... TO, ATTACH and INSTALL fail), and the configuration is locked so no statement can undo
        # that or lift the memory limit. Only what the marts relax while they rebuild, and the progress bar, stay
        # settable. These are settings of the database, not of a connection: another Workspace of the same file in
        # this process shares them, already locked.
        if not self.con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
            self.con.execute("SET memory_limit = $m", {"m": config.MEMORY_LIMIT})
            self.con.execute("SET allowed_configs = ['preserve_insertion_order', 'enable_progress_bar']")
            self.con.execute("SET enable_external_access = false")
            self.con.execute("SET lock_configuration = true")
        self._lock = threading.Lock()
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        # Every canonical table always exists (empty until loaded), so every query can run on any workspace.
        for table in TABLES.values():
            self.con.execute(table.create_sql())
        self.con.execute(_HISTORY_SQL)
        # Workspaces from before commands were undone as a whole: each of their loads is a command of its own.
        self.con.execute("ALTER TABLE _load_history ADD COLUMN IF NOT EXISTS batch_id INTEGER")
        self.catalog = self.con.execute("SELECT current_database()").fetchone()[0]
        # The in-memory database of the result store (a file named like it would otherwise take its name).
        self.memory = results.MEMORY if self.catalog != results.MEMORY else results.MEMORY + "_"
        attached = "SELECT 1 FROM duckdb_databases() WHERE database_name = $m"
        if not self.con.execute(attached, {"m": self.memory}).fetchall():
            # Another Workspace of this file in this process shares the database and has attached it already.
            self.con.execute(f"ATTACH ':memory:' AS {self.memory}")
        results.create_index(self.con, self.catalog)
        results.create_index(self.con, self.memory)
        self.results = results.Results(self)
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
            results.refresh(self, self.con)

    def refresh_marts(self, con=None, *tables: str) -> None:
        """Rebuild the marts built from canonical ``tables`` (every mart when none is named), on ``con`` if given.

        Given a connection, the rebuild joins that connection's transaction, so a failed load leaves the marts as
        they were.
        """
        marts.refresh(con or self.con, marts.affected(*tables) if tables else marts.MARTS)
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

    def row_counts(self, con=None) -> dict[str, int]:
        """Rows per canonical table (as ``con`` sees them when given: inside its transaction)."""
        sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {quote_ident(t)}" for t in TABLES)
        return dict((con or self.cursor()).execute(sql).fetchall())

    def present_tables(self, con=None) -> set[str]:
        """Canonical tables that hold at least one row (as ``con`` sees them when given)."""
        return {t for t, n in self.row_counts(con).items() if n}

    def history(self) -> pd.DataFrame:
        """The load history, newest first."""
        return self.cursor().execute("SELECT * FROM _load_history ORDER BY load_id DESC").df()

    def undo_steps(self) -> pd.DataFrame:
        """The commands that can be undone, newest first: one row each with its loads' tables, files and rows.

        Columns: ``batch_id``, ``table_name`` (any one of its tables: undo_last of it undoes the whole command),
        ``tables``, ``files`` and ``rows`` (lists, in load order) and ``loaded_at``.
        """
        steps = """SELECT coalesce(batch_id, load_id) AS batch_id, any_value(table_name) AS table_name,
                list(table_name ORDER BY load_id) AS tables, list(file_name ORDER BY load_id) AS files,
                list(rows_loaded ORDER BY load_id) AS rows, max(loaded_at) AS loaded_at
            FROM _load_history WHERE status = 'loaded' GROUP BY 1 ORDER BY 1 DESC"""
        return self.cursor().execute(steps).df()

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
                # A mart rebuild relaxes row order for its statements (marts.refresh) and cannot reset it once its
                # transaction has failed.
                con.execute("RESET preserve_insertion_order")
                raise

    def apply(self, changes: list[Change], con=None) -> list[dict]:
        """Make ``changes`` (one command: several files, several tables) as one transaction and one undo step.

        Each :class:`Change` builds its table's full new contents from the table as the changes before it in the
        list left it. The first change of a table keeps its current contents as ``_undo_<table>``; the marts of
        every table changed are rebuilt once; the version moves on once. Either everything happens or nothing: a
        failure leaves every table, the history and the version exactly as they were. Returns each change's
        record completed with ``load_id``, ``batch_id``, ``rows_after``, ``status`` and ``version``.
        """
        con = con or self.cursor()
        touched: list[str] = []
        rows = []
        with self.transaction(con):
            load_id = con.execute("SELECT coalesce(max(load_id), 0) FROM _load_history").fetchone()[0]
            batch_id = load_id + 1
            for change in changes:
                table = change.table
                new, current = quote_ident(f"_new_{table}"), quote_ident(table)
                con.execute(f"DROP TABLE IF EXISTS {new}")
                if callable(change.build):
                    change.build(con, f"_new_{table}")
                else:
                    cols = ", ".join(f.name for f in TABLES[table].stored_fields)
                    con.execute(TABLES[table].create_sql(f"_new_{table}"))
                    con.execute(f"INSERT INTO {new} ({cols}) SELECT {cols} FROM ({change.build})")
                if table in touched:
                    con.execute(f"DROP TABLE {current}")
                else:
                    self._retire_undo(con, table)
                    con.execute(f"ALTER TABLE {current} RENAME TO {quote_ident(f'_undo_{table}')}")
                    touched.append(table)
                con.execute(f"ALTER TABLE {new} RENAME TO {current}")
                load_id += 1
                row = {**change.record, "table_name": table, "load_id": load_id, "batch_id": batch_id}
                row |= {"rows_after": con.execute(f"SELECT count(*) FROM {current}").fetchone()[0]}
                row |= {"status": "loaded", "loaded_at": datetime.now().replace(microsecond=0)}
                columns, values = ", ".join(row), ", ".join("$" + name for name in row)
                con.execute(f"INSERT INTO _load_history ({columns}) VALUES ({values})", row)
                rows.append(row)
            self.refresh_marts(con, *touched)
            version = self._bump(con, touched)
            if any(r.get("mode") != "demo" for r in rows):
                self.set_state("demo", "0", con)
            results.refresh(self, con)
        return [{**r, "version": version} for r in rows]

    def _retire_undo(self, con, table: str) -> None:
        """Forget the undo copy of ``table`` before a new load takes its place.

        Only a table's newest load can be undone, and a command is undone as a whole: the command whose copy of
        ``table`` goes can no longer be undone for any of its tables.
        """
        batch = "SELECT coalesce(batch_id, load_id) FROM _load_history WHERE table_name = $t AND status = 'loaded'"
        in_command = f"status = 'loaded' AND coalesce(batch_id, load_id) IN ({batch})"
        loads = con.execute(f"SELECT table_name FROM _load_history WHERE {in_command}", {"t": table}).fetchall()
        tables = {table} | {name for (name,) in loads}
        con.execute(f"UPDATE _load_history SET status = 'final' WHERE {in_command}", {"t": table})
        # The command's other copies can serve no undo now: a ten-million-row copy is not kept for nothing.
        for name in tables:
            con.execute(f"DROP TABLE IF EXISTS {quote_ident(f'_undo_{name}')}")

    def _bump(self, con, tables: list[str] = ()) -> int:
        version = int(con.execute("SELECT value FROM _state WHERE key = 'version'").fetchone()[0]) + 1
        self.set_state("version", str(version), con)
        for table in tables:
            # The version that last changed each table: a stored result that reads none of the tables changed
            # since it was computed is still right (dashboard.results keeps it).
            self.set_state(f"changed:{table}", str(version), con)
        return version

    def undo_last(self, table: str) -> bool:
        """Undo the newest command that loaded ``table``, with every table it changed; False when none can be."""
        con = self.cursor()
        with self.transaction(con):
            batch = con.execute(
                """SELECT load_id, table_name FROM _load_history WHERE status = 'loaded'
                AND coalesce(batch_id, load_id) = (SELECT max(coalesce(batch_id, load_id)) FROM _load_history
                    WHERE table_name = $t AND status = 'loaded')""",
                {"t": table},
            ).fetchall()
            tables = sorted({name for _, name in batch})
            copies = "SELECT count(DISTINCT table_name) FROM duckdb_tables() WHERE NOT temporary AND table_name IN $n"
            found = con.execute(copies, {"n": [f"_undo_{name}" for name in tables]}).fetchone()[0]
            if not batch or found != len(tables):
                return False
            for name in tables:
                con.execute(f"DROP TABLE {quote_ident(name)}")
                con.execute(f"ALTER TABLE {quote_ident(f'_undo_{name}')} RENAME TO {quote_ident(name)}")
            con.execute(
                "UPDATE _load_history SET status = 'undone' WHERE load_id IN $ids", {"ids": [i for i, _ in batch]}
            )
            self.refresh_marts(con, *tables)
            self._bump(con, tables)
            results.refresh(self, con)
        return True

    def clear(self, tables: list[str] | None = None) -> None:
        """Empty ``tables`` (every canonical table holding rows when None) as one undoable step."""
        counts = self.row_counts()
        names = [name for name in (TABLES if tables is None else tables) if counts[name]]
        record = {"file_name": "", "mode": "clear", "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0,
                  "rows_replaced": 0}  # fmt: skip
        if names:
            self.apply([Change(name, f"SELECT * FROM {quote_ident(name)} WHERE false", record) for name in names])
        self.set_state("demo", "0")

    def close(self) -> None:
        """Close the database."""
        self.con.close()
