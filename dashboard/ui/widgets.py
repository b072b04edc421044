"""Streamlit pieces the pages draw with: page tops, notices, KPI cards, charts with their SQL, tables, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import config, export, pages
from ..i18n import MISSING, Markdown, t
from ..queries import load_query
from .formats import column_config
from .state import present_tables, workspace

DATA_PAGE = pages.path("data")


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


def chart_row(*charts: tuple) -> None:
    """Charts side by side, each given as the arguments of :func:`chart`: ``(fig, df, key)`` or with a caption."""
    for column, args in zip(st.columns(len(charts)), charts, strict=True):
        with column:
            chart(*args)


def choice(label: str, options: list[str], key: str, default: str, labels: str) -> str:
    """The option picked in a segmented control, each option shown as ``t(labels + option)``.

    Clicking the picked option again unselects it: the page then keeps ``default`` rather than having no choice.
    """
    picked = st.segmented_control(label, options, key=key, default=default, format_func=lambda o: t(labels + o))
    return picked or default


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
            # The Data page empties the workspace: data changes there, never in a widget every page draws.
            st.session_state["start_own_data"] = True
            st.switch_page(DATA_PAGE)


def _fmt_value(value, kind: str) -> str:
    from ..i18n import fmt_compact, fmt_money, fmt_number, fmt_pct

    if value is None:
        return MISSING
    return {"money": fmt_money, "pct": fmt_pct, "score": lambda v: fmt_number(v, 1)}.get(kind, fmt_compact)(value)


def _fmt_delta(kpi) -> str | None:
    from ..i18n import fmt_number, fmt_pct

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


# Who looks after a customer, how to reach them and where they sit: the working lists end or begin with these.
CONTACT_COLUMNS = ["owner", "phone", "email", "wechat", "segment", "region"]


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
