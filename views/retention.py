"""Retention: churn per month for an inactivity window, cohorts, where customers leak, dormant list, projection."""

import streamlit as st

from dashboard import charts, ui
from dashboard.i18n import fmt_date, fmt_money, fmt_number, fmt_pct, t
from dashboard.queries import PARAM_RANGES

ui.header("retention")
if not ui.require("orders"):
    st.stop()

f = ui.filters()
gaps = ui.query("retention/purchase_gaps", **f.params()).iloc[0]
suggested = int(gaps["suggested_window_days"])
c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
window = c1.number_input(
    t("window_days"), *PARAM_RANGES["window_days"], 90, 15, key="ret_window", help=t("window_help")
)
c2.info(
    t(
        "window_suggestion",
        days=suggested,
        p90=fmt_number(gaps["p90_gap_days"]),
        median=fmt_number(gaps["median_gap_days"]),
        n=fmt_number(gaps["repeat_customers"]),
    )
    if gaps["repeat_customers"]
    else t("window_no_repeats"),
    icon=":material/lightbulb:",
)
params = {**f.params(), "window_days": int(window)}

monthly = ui.query("retention/monthly_churn", **params)
if monthly.empty:
    st.info(t("no_data_in_period"))
    st.stop()
summary = ui.query("retention/churn_summary", **params).iloc[0]
avg = summary["churn_rate"] if ui.has(summary["churn_rate"]) else None
m = st.columns(4)
m[0].metric(t("avg_monthly_churn"), fmt_pct(avg), border=True, help=t("kpi_churn_help"))
m[1].metric(t("churned"), fmt_number(summary["churned"]), border=True)
m[2].metric(t("reactivated"), fmt_number(summary["reactivated"]), border=True)
m[3].metric(t("active_start_latest"), fmt_number(summary["active_start_latest"]), border=True)

partial = t("partial_month_caption") if monthly["is_partial"].any() else ""
ui.chart_row(
    (charts.fig_churn(monthly), monthly, "ret_churn", partial),
    (charts.fig_churn_flows(monthly), monthly, "ret_flows"),
)

st.subheader(t("cohorts_title"))
measure = ui.choice(
    t("cohort_measure"), ["retention", "revenue_retention"], key="ret_measure", default="retention", labels="measure_"
)
cohorts = ui.query("retention/cohort_retention", **params)
if cohorts.empty:
    st.info(t("no_cohorts"))
else:
    ui.chart(charts.fig_cohort_heatmap(cohorts, measure), cohorts, "ret_heat", caption=t("cohort_caption"))
    ui.chart(charts.fig_retention_curves(cohorts, measure), cohorts, "ret_curves")

st.subheader(t("leaks_title"))
group = ui.choice(t("leaks_by"), ["segment", "region", "channel"], key="ret_group", default="segment", labels="filter_")
if ui.require("customers"):
    by_group = ui.query("retention/churn_rate", **params, group_by=group)
    ui.chart(charts.fig_churn_by_group(by_group), by_group, "ret_group", caption=t("leaks_caption"))

st.subheader(t("projection_title"))
target = (
    st.slider(
        t("what_if_churn"),
        0.0,
        max(round((avg or 0.05) * 100, 1), 0.5),
        round((avg or 0) * 100 * 0.8, 1),
        0.1,
        format="%.1f%%",
        key="ret_target",
    )
    / 100
)
projection = ui.query("retention/projection", **params, target_rate=target).iloc[0]
st.markdown(
    t(
        "projection_text",
        as_of=fmt_date(projection["as_of"]),
        days=int(window),
        base=fmt_number(projection["active_customers"]),
        rate=fmt_pct(projection["churn_rate"]),
        lost=fmt_number(projection["lost"]),
        revenue=fmt_money(projection["revenue_lost"]),
        per=fmt_money(projection["revenue_per_active"]),
        target=fmt_pct(target),
        saved=fmt_number(projection["saved_customers"]),
        saved_revenue=fmt_money(projection["saved_revenue"]),
    )
)

st.subheader(t("dormant_title"))
dormant = ui.query("retention/dormant_customers", **params, limit=500)
total = int(dormant["dormant_customers"].iloc[0]) if len(dormant) else 0
st.caption(t("dormant_caption", n=fmt_number(total), days=int(window)))
columns = ["customer_id", "name", "lifetime_revenue", "orders", "last_order_date", "days_inactive", *ui.CONTACT_COLUMNS]
ui.customer_table(dormant[columns], "ret_dormant_table")
# Built only when clicked: at a million customers the list is large.
ui.download_buttons(
    lambda: ui.query_now("retention/dormant_customers", **params)[columns],
    f"dormant_customers_{int(window)}d",
    "ret_dormant",
)
