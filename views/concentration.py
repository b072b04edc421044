"""Concentration: how much of the business rests on few customers (Pareto, Lorenz, ABC, profit whale curve)."""

import streamlit as st

from dashboard import charts, ui
from dashboard.i18n import MISSING, fmt_money, fmt_number, fmt_pct, t

ui.header("concentration")
if not ui.require("orders"):
    st.stop()

f = ui.filters()
measure = ui.choice(t("measure"), ["revenue", "margin"], key="con_measure", default="revenue", labels="measure_")
params = {**f.params(), "measure": measure}
summary = ui.query("concentration/pareto_summary", **params).iloc[0]
if not summary["customers"]:
    st.info(t("no_orders_in_period" if measure == "revenue" else "no_margin_data"))
    st.stop()

m = st.columns(4)
m[0].metric(
    t("top20_share"),
    fmt_pct(summary["top20_share"]),
    border=True,
    help=t("top20_help", n=fmt_number(summary["top20_customers"])),
)
m[1].metric(
    t("customers_for_80"), fmt_number(summary["customers_for_80pct"]), border=True, help=t("customers_for_80_help")
)
m[2].metric(
    t("gini"),
    fmt_number(summary["gini"], 3) if summary["gini"] == summary["gini"] else MISSING,
    border=True,
    help=t("gini_help"),
)
m[3].metric(t("customers"), fmt_number(summary["customers"]), border=True)
if ui.has(summary["top20_share"]):
    st.markdown(
        t(
            "concentration_sentence",
            share=fmt_pct(summary["top20_share"]),
            n80=fmt_number(summary["customers_for_80pct"]),
            pct80=fmt_pct(summary["share_for_80pct"]),
            total=fmt_money(summary["total_value"]),
        )
    )

curve = ui.query("concentration/pareto_curve", **params)
gini = float(summary["gini"]) if ui.has(summary["gini"]) else None
ui.chart_row(
    (charts.fig_pareto(curve), curve, "con_pareto"),
    (charts.fig_lorenz(curve, gini), curve, "con_lorenz"),
)

tiers = ui.query("concentration/abc_tiers", **params)
left, right = st.columns(2)
with left:
    st.subheader(t("abc_title"))
    cols = ["tier", "customers", "customer_share", "value", "value_share", "margin", "aov"]
    ui.table(tiers, cols)
    st.caption(t("abc_caption"))
with right:
    quarters = ui.query("concentration/top20_by_quarter", **params)
    ui.chart(charts.fig_top20_trend(quarters), quarters, "con_quarters")

st.subheader(t("profit_title"))
whale = ui.query("concentration/whale_curve", **params)
if whale.empty:
    st.info(t("need_margin"), icon=":material/upload_file:")
    st.page_link(ui.DATA_PAGE, label=t("go_to_data"), icon=":material/arrow_forward:")
else:
    loss = ui.query("concentration/unprofitable_customers", **params)
    peak = whale.loc[whale["is_peak"], "cumulative_margin_share"].max()
    st.markdown(
        t(
            "whale_sentence",
            n=fmt_number(loss["unprofitable_customers"].iloc[0] if len(loss) else 0),
            peak=fmt_pct(peak),
            back=fmt_pct(peak - 1),
            loss=fmt_money(loss["total_loss"].iloc[0] if len(loss) else 0),
        )
    )
    ui.chart(charts.fig_whale(whale), whale, "con_whale")
    cols = ["customer_id", "name", "revenue", "margin", "orders", "owner", "segment", "phone", "email"]
    ui.customer_table(loss[cols], "con_loss")
    ui.download_buttons(loss[cols], "unprofitable_customers", "con_loss_dl")
