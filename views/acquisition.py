"""Acquisition: lead conversion and ad-channel ROI per channel, for marketers deciding where the next yuan goes."""

import streamlit as st

from dashboard import charts, ui
from dashboard.i18n import MISSING, Markdown, fmt_money, fmt_number, fmt_pct, t

ui.header("acquisition")
if not ui.require("leads"):
    st.stop()

f = ui.filters()
params = f.params()
table = ui.query("acquisition/channel_conversion", **params)
if table.empty or table["leads"].sum() == 0:
    st.info(t("no_leads_in_period"))
    st.stop()

has_spend = "ad_spend" in ui.present_tables()
totals = ui.query("acquisition/channel_totals", **params).iloc[0]
overall = totals["conversion_rate"]
c = st.columns(4)
c[0].metric(t("leads"), fmt_number(totals["leads"]), border=True)
c[1].metric(t("conversion_rate"), fmt_pct(overall), border=True)
c[2].metric(t("spend"), fmt_money(totals["spend"]) if has_spend else MISSING, border=True)
c[3].metric("ROAS", fmt_number(totals["roas"], 2) if has_spend and ui.has(totals["roas"]) else MISSING, border=True)
best = table[table["significance"] == "above"]["channel"].tolist()
worst = table[table["significance"] == "below"]["channel"].tolist()
if best or worst:
    st.markdown(
        t(
            "significance_summary",
            above=Markdown(", ").join(best) or MISSING,
            below=Markdown(", ").join(worst) or MISSING,
        )
    )
if not has_spend:
    st.info(t("need_ad_spend"), icon=":material/payments:")

st.subheader(t("channel_table"))
sort_options = ["leads", "conversion_rate", "revenue_365d", "roas", "roi", "cpa", "cpl"]
sort_by = st.selectbox(t("sort_by"), sort_options, format_func=lambda c: t("col_" + c), key="acq_sort")
shown = table.sort_values(sort_by, ascending=sort_by in ("cpa", "cpl"), na_position="last")
shown = shown.assign(
    vs_overall=shown["significance"].map({"above": "▲ " + t("sig_above"), "below": "▼ " + t("sig_below")}).fillna("")
)
shown.loc[shown["leads"] < 30, "vs_overall"] = t("sig_too_few")
shown = shown.assign(
    maturing=shown["maturing_leads"].map(lambda n: t("maturing_n", n=fmt_number(n)) if n else ""),
    interval=[
        f"{fmt_pct(lo)} – {fmt_pct(hi)}" if ui.has(lo) else ""
        for lo, hi in zip(shown["ci_low"], shown["ci_high"], strict=True)
    ],
)
cost_cols = ["spend", "cpl", "cpa", "roas", "roi"] if has_spend else []
columns = [
    "channel",
    "leads",
    "converted",
    "conversion_rate",
    "interval",
    "vs_overall",
    "median_days_to_convert",
    "revenue_365d",
    *cost_cols,
    "maturing",
]
ui.table(shown, columns)
st.caption(t("channel_table_caption"))
ui.download_buttons(shown[columns], "channel_conversion", "acq_table")

left, right = st.columns(2)
with left:
    ui.chart(charts.fig_conversion_ci(table, overall), table, "acq_ci")
with right:
    if ui.require("ad_spend"):
        ui.chart(charts.fig_spend_return(table), table, "acq_spend", caption=t("spend_return_caption"))

monthly = ui.query("acquisition/conversion_by_month", **params)
ui.chart_row(
    (charts.fig_conversion_by_month(monthly), monthly, "acq_month", t("maturing_caption")),
    (charts.fig_leads_by_month(monthly), monthly, "acq_leads"),
)

campaigns = ui.query("acquisition/campaign_conversion", **params)
left, right = st.columns(2)
with left:
    if campaigns["revenue_365d"].fillna(0).astype(float).gt(0).any():
        ui.chart(charts.fig_revenue_treemap(campaigns), campaigns, "acq_tree")
with right:
    stages = ui.query("acquisition/stage_funnel", **params)
    if len(stages):
        pick = st.selectbox(
            t("funnel_channel"),
            [""] + sorted(stages["channel"].unique()),
            key="acq_funnel",
            format_func=lambda c: c or t("all_channels"),
        )
        ui.chart(charts.fig_stage_funnel(stages, pick or None), stages, "acq_funnel")
    else:
        st.info(t("no_stages"))

if campaigns["campaign"].notna().any():
    st.subheader(t("campaign_drill"))
    channel = st.selectbox(t("filter_channel"), sorted(campaigns["channel"].unique()), key="acq_drill")
    part = campaigns[campaigns["channel"] == channel]
    cols = ["campaign", "leads", "converted", "conversion_rate", "revenue_365d"] + (
        ["spend", "roas"] if has_spend else []
    )
    ui.table(part, cols)
