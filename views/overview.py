"""Overview: the executive's weekly glance: headline KPIs with deltas and trends, and data freshness."""

import streamlit as st

from dashboard import charts, ui
from dashboard.i18n import MISSING, fmt_date, fmt_number, t
from dashboard.overview import from_frame

ui.header("overview", caption=False)
f = ui.filters()
present = ui.present_tables()
st.caption(
    t(
        "overview_caption",
        start=fmt_date(f.start),
        end=fmt_date(f.end),
        prev_start=fmt_date(f.previous().start),
        prev_end=fmt_date(f.previous().end),
    )
)

latest = ui.latest_date()
if latest and latest > f.end:
    st.caption(t("overview_newer_data", latest=fmt_date(latest)))

if not present:
    st.info(t("workspace_empty"), icon=":material/inbox:")
    st.page_link(ui.DATA_PAGE, label=t("go_to_data"), icon=":material/arrow_forward:")
    st.stop()

kpis = from_frame(ui.query("overview/kpis", **f.params()))
for row in range(0, len(kpis), 4):
    for col, kpi in zip(st.columns(4), kpis[row : row + 4], strict=False):
        with col:
            ui.kpi_card(kpi)

if ui.require("orders"):
    st.markdown(f"**{t('kpi_quadrants')}** · {t('kpi_quadrants_help')}")
    quadrants = from_frame(ui.query("overview/quadrant_counts", **f.params()))
    for col, kpi in zip(st.columns(4), quadrants, strict=True):
        with col:
            ui.kpi_card(kpi)
    trend = ui.query("overview/monthly_trend", **f.params())
    ui.chart_row(
        (charts.fig_revenue_trend(trend), trend, "revenue_trend"),
        (charts.fig_customer_trend(trend), trend, "customer_trend"),
    )

st.subheader(t("freshness_title"))
bounds = ui.query("overview/data_bounds")
bounds = bounds.assign(
    table_name=bounds["table_name"].map(lambda x: t(f"table_{x}")),
    row_count=bounds["row_count"].map(fmt_number),
    first_date=bounds["first_date"].map(fmt_date),
    last_date=bounds["last_date"].map(fmt_date),
    last_loaded_at=bounds["last_loaded_at"].map(lambda x: str(x)[:16] if ui.has(x) else MISSING),
).rename(columns={c: t(f"col_{c}") for c in bounds.columns})
ui.table(bounds)
