"""The session's state: the workspace, results read from its store, the data's bounds and the global filters."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from .. import config, i18n
from ..filters import Filters, data_range, period_of
from ..i18n import t
from ..queries import QueryTimeout
from ..workspace import Workspace, WorkspaceBusy


def _session():
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return st.session_state if get_script_run_ctx(suppress_warning=True) is not None else None


i18n.session = _session


@st.cache_resource(show_spinner=False)
def _open_workspace(path: str) -> Workspace:
    from .. import cli, owner
    from ..demo import build_demo_workspace

    is_new = not Path(path).exists()
    ws = Workspace(path)
    if is_new:
        # A first start shows every page working at once, on demo data clearly marked as such.
        build_demo_workspace(ws)
    # A page's query is stopped past its time limit (the command line's, run here too, alike).
    ws.results.timeout = config.QUERY_TIMEOUT
    # The app holds the file for its whole life: the command line's loads and queries run here instead.
    owner.serve(Path(path), lambda argv: cli.run_for_owner(ws, argv))
    return ws


def workspace() -> Workspace:
    """The process-wide workspace (one DuckDB connection per process), built from the samples on first start.

    While another process has the file (a load from the command line), the page says so and tries again every two
    seconds, so it shows the new data as soon as the load is done.
    """
    try:
        return _open_workspace(str(config.workspace_path()))
    except WorkspaceBusy as busy:
        st.info(t("workspace_busy", pid=busy.pid or "?"), icon=":material/hourglass_top:")
        time.sleep(2)
        st.rerun()


def query(name: str, **params) -> pd.DataFrame:
    """Result ``name`` with ``params`` from the workspace's result store (a new frame: callers may change it)."""
    return _or_stop(lambda: workspace().results.frame(name, params))


def _or_stop(fetch):
    # One place for every page: a query stopped at its time limit or out of memory ends the page where its result
    # would have been drawn, with a message instead of a traceback. Neither failure is cached, so a rerun tries again.
    try:
        return fetch()
    except QueryTimeout as exc:
        st.error(t("err_query_timeout", seconds=f"{exc.seconds:g}"), icon=":material/timer_off:")
    except (duckdb.OutOfMemoryException, MemoryError):
        st.error(t("err_query_out_of_memory"), icon=":material/memory:")
    st.stop()


def _bounds() -> pd.DataFrame:
    return query("overview/data_bounds")


def present_tables() -> frozenset[str]:
    """Canonical tables holding data."""
    return frozenset(_bounds().query("row_count > 0")["table_name"])


def default_filters() -> tuple[date, date]:
    """The default period for the current data (the last 12 full months of it)."""
    return period_of(data_range(_bounds()))


def latest_date() -> date | None:
    """The newest order (or lead) date in the workspace."""
    return data_range(_bounds())[1]


def filters() -> Filters:
    """The global filters as the sidebar set them (app.py owns the widgets)."""
    start, end = default_filters()
    period = st.session_state.get("filter_period") or (start, end)
    if isinstance(period, (list, tuple)) and len(period) == 2:
        start, end = period
    return Filters(
        start,
        end,
        tuple(st.session_state.get("filter_region") or ()),
        tuple(st.session_state.get("filter_segment") or ()),
        tuple(st.session_state.get("filter_channel") or ()),
    )


def query_now(name: str, **params) -> pd.DataFrame:
    """Result ``name`` for a deferred download, which runs outside the page's thread (no message on failure).

    Past the time limit it raises :class:`~dashboard.queries.QueryTimeout`.
    """
    return workspace().results.frame(name, params)
