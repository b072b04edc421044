"""Streamlit glue shared by the pages: the workspace resource, cached queries, filters, notices and chart frames.

Pages call these to read state and draw; nothing here computes a metric.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from . import config, export, pages
from .filters import Filters, default_period
from .i18n import MISSING, Markdown, t
from .queries import QueryTimeout, load_query
from .workspace import Workspace, WorkspaceBusy

DATA_PAGE = pages.path("data")


@st.cache_resource(show_spinner=False)
def _open_workspace(path: str) -> Workspace:
    from . import cli, owner
    from .demo import build_demo_workspace

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


def query_once(name: str, **params) -> pd.DataFrame:
    """:func:`query` for parameters no other query asks for: the shared blocks are computed inside, not kept."""
    return _or_stop(lambda: workspace().results.frame(name, params, inline=True))


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


@st.cache_data(show_spinner=False, max_entries=16)
def _present(version: int, path: str) -> frozenset[str]:
    return frozenset(workspace().present_tables())


def present_tables() -> frozenset[str]:
    """Canonical tables holding data (cached per workspace version)."""
    return _present(workspace().version, str(config.workspace_path()))


def default_filters() -> tuple[date, date]:
    """The default period for the current workspace version (the last 12 full months of the data)."""
    return _default(workspace().version, str(config.workspace_path()))


@st.cache_data(show_spinner=False, max_entries=16)
def _default(version: int, path: str) -> tuple[date, date]:
    return default_period(workspace().results.cursor())


def latest_date() -> date | None:
    """The newest order (or lead) date in the workspace."""
    return _latest(workspace().version, str(config.workspace_path()))


@st.cache_data(show_spinner=False, max_entries=16)
def _latest(version: int, path: str) -> date | None:
    from .filters import data_range

    return data_range(workspace().results.cursor())[1]


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


def require(*tables: str) -> bool:
    """Show a friendly "upload X to see this" notice with a link to the Data page when a table is missing."""
    missing = [tb for tb in tables if tb not in present_tables()]
    if not missing:
        return True
    names = Markdown(", ").join(t(f"table_{tb}") for tb in missing)
    st.info(t("need_upload", tables=names), icon=":material/upload_file:")
    st.page_link(DATA_PAGE, label=t("go_to_data"), icon=":material/arrow_forward:")
    return False


def download_buttons(data, stem: str, key: str, excel: bool = True) -> None:
    """CSV (UTF-8 with BOM, so Excel opens Chinese text correctly) and Excel downloads, made by ``export``.

    ``data`` is a frame, or a callable returning one: then the file is built only when the user clicks, on
    Streamlit's download thread, so a list of a million customers costs nothing until it is asked for.
    """
    if callable(data):
        csv, xlsx = (lambda: export.csv_bytes(data())), (lambda: export.xlsx_bytes(data()))
    else:
        csv, xlsx = export.csv_bytes(data), (lambda: export.xlsx_bytes(data))
    cols = st.columns([1, 1, 4])
    cols[0].download_button(
        t("download_csv"),
        csv,
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    if excel:
        cols[1].download_button(
            t("download_excel"),
            xlsx,
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx",
            icon=":material/table:",
            on_click="ignore",
        )


def query_now(name: str, **params) -> pd.DataFrame:
    """Result ``name`` for a deferred download, which runs outside the page's thread (no message on failure).

    Past the time limit it raises :class:`~dashboard.queries.QueryTimeout`.
    """
    return workspace().results.frame(name, params)


def chart(fig, df: pd.DataFrame, key: str, caption: str = "") -> None:
    """Draw a figure with its caption, then an expander holding the SQL behind it and a download of its data.

    ``df`` is the result the figure was drawn from, as :func:`query` returned it: its name says which SQL to show.
    """
    name = df.attrs["query"]
    st.plotly_chart(fig, width="stretch", key=f"chart_{key}", config={"displaylogo": False})
    if caption:
        st.caption(caption)
    with st.expander(t("sql_and_data"), icon=":material/code:"):
        st.code(load_query(name).sql, language="sql")
        st.download_button(
            t("download_csv"),
            export.csv_bytes(df),
            f"{name.replace('/', '_')}.csv",
            "text/csv",
            key=f"dl_{key}",
            icon=":material/download:",
        )


def header(page: str, caption: bool = True) -> None:
    """A page's top: its title, the demo-data badge while the demo is loaded, and its caption (``<page>_caption``)."""
    st.title(t(f"page_{page}"))
    demo_badge()
    if caption:
        st.caption(t(f"{page}_caption"))


def demo_badge() -> None:
    """The visible "demo data" badge, with the one-click way to start with one's own data."""
    if not workspace().is_demo:
        return
    with st.container(border=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.markdown(f":orange-badge[:material/science: {t('demo_badge')}] {t('demo_explainer')}")
        if c2.button(t("demo_start_own"), key="demo_start_own", icon=":material/restart_alt:"):
            workspace().clear()
            st.switch_page(DATA_PAGE)


def _fmt_value(value, kind: str) -> str:
    from .i18n import fmt_compact, fmt_money, fmt_number, fmt_pct

    if value is None:
        return MISSING
    return {"money": fmt_money, "pct": fmt_pct, "score": lambda v: fmt_number(v, 1)}.get(kind, fmt_compact)(value)


def _fmt_delta(kpi) -> str | None:
    from .i18n import fmt_number, fmt_pct

    d = kpi.delta
    if d is None:
        return None
    if kpi.kind == "pct":
        return t("delta_points", value=fmt_number(d * 100, 1) if d < 0 else "+" + fmt_number(d * 100, 1))
    if kpi.kind == "score":
        return ("+" if d >= 0 else "") + fmt_number(d, 1)
    return fmt_pct(d, signed=True)


def kpi_card(kpi) -> None:
    """One KPI as a bordered metric with its delta, trend sparkline and a link to its page."""
    # As tall as the row's tallest card: a KPI without a trend or link would otherwise end short.
    with st.container(border=True, height="stretch"):
        if kpi.value is None:
            st.metric(t(kpi.key), MISSING, help=t(kpi.key + "_help"))
            st.caption(
                t("need_upload_short", tables=t(f"table_{kpi.needs}") if kpi.needs != "margin" else t("margin_or_cost"))
            )
        else:
            st.metric(
                t(kpi.key),
                _fmt_value(kpi.value, kpi.kind),
                _fmt_delta(kpi),
                delta_color="inverse" if kpi.lower_is_better else "normal",
                help=t(kpi.key + "_help"),
                chart_data=kpi.trend or None,
                chart_type="area",
                delta_description=t("vs_previous_end") if kpi.key.startswith("quadrant_") else t("vs_previous"),
            )
        if kpi.page in pages.BY_NAME and kpi.page != "overview" and _page_exists(kpi.page):
            st.page_link(pages.path(kpi.page), label=t(f"page_{kpi.page}"), icon=":material/arrow_forward:")


def _page_exists(page: str) -> bool:
    return (config.ROOT / pages.path(page)).exists()


_MONEY = {
    "revenue_12m",
    "revenue_period",
    "wallet",
    "untapped_wallet",
    "revenue",
    "amount",
    "value",
    "margin",
    "gross_margin",
    "spend",
    "revenue_365d",
    "margin_365d",
    "cpl",
    "cpa",
    "lifetime_revenue",
    "lifetime_margin",
    "deal_value",
    "total_value",
    "aov",
}
_SHARES = {
    "share_of_wallet",
    "cross_buy",
    "untapped_rank",
    "engagement_rank",
    "conversion_rate",
    "ci_low",
    "ci_high",
    "retention",
    "revenue_retention",
    "churn_rate",
    "revenue_share",
    "top20_share",
    "share",
    "cumulative_share",
    "roi",
    "rate",
    "customer_share",
    "value_share",
    "share_of_channel",
}


def column_config(columns: list[str], df: pd.DataFrame | None = None) -> dict:
    """Labels in the current language and number formats (money, shares, scores) for st.dataframe columns.

    With ``df``, whole-number columns are shown without decimals.
    """
    out = {}
    for c in columns:
        label = t("col_" + c)
        if df is not None and c in df and pd.api.types.is_integer_dtype(df[c]) and c not in _MONEY:
            out[c] = st.column_config.NumberColumn(label, format="%d")
        elif c in _MONEY:
            out[c] = st.column_config.NumberColumn(label, format="yen" if config.CURRENCY == "¥" else "localized")
        elif c in _SHARES:
            out[c] = st.column_config.NumberColumn(label, format="percent")
        elif c.endswith(("_date", "_month")) or c in ("month", "quarter"):
            out[c] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif c.endswith("_at"):
            out[c] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
        elif c in ("score", "momentum", "value_potential", "nps", "stage_factor", "roas"):
            out[c] = st.column_config.NumberColumn(label, format="%.1f")
        else:
            out[c] = st.column_config.Column(label)
    return out


def profile_link(customer_id: str) -> None:
    """A link that opens one customer's profile page."""
    if _page_exists("customer"):
        st.page_link(
            pages.path("customer"),
            label=t("open_profile", id=customer_id),
            query_params={"id": customer_id},
            icon=":material/person:",
        )


def table(df: pd.DataFrame, columns: list[str] | None = None) -> None:
    """Show ``df`` as a result table: no index, full width, missing values as a dash.

    With ``columns``, only those are shown, labelled in the current language and formatted (see column_config);
    without, whole numbers get thousands separators (21,770 rows, as every other count on the page).
    """
    if columns is None:
        counts = [c for c in df.columns if pd.api.types.is_integer_dtype(df[c])]
        config = {c: st.column_config.NumberColumn(format="localized") for c in counts}
    else:
        config = column_config(columns)
    st.dataframe(
        df if columns is None else df[columns],
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        column_config=config,
    )


def customer_table(df: pd.DataFrame, key: str, limit: int = 500) -> None:
    """A customer list (first ``limit`` rows) whose selected row opens that customer's profile."""
    event = st.dataframe(
        df.head(limit),
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config=column_config(list(df.columns), df),
    )
    rows = event.selection.rows if event and event.selection else []
    if rows:
        profile_link(str(df.iloc[rows[0]]["customer_id"]))
    else:
        st.caption(t("select_to_open_profile"))


def has(value) -> bool:
    """True when a value from a query result is present (not NULL/NaN/NA and not empty text)."""
    try:
        if pd.isna(value):
            return False
    except (TypeError, ValueError):
        pass
    return value != ""


def show(value) -> str:
    """A query value as text, '–' when missing."""
    return str(value) if has(value) else MISSING
