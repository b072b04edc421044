"""Advocacy: NPS trend and mix, NPS by group, referrals, complaint recovery and the detractor follow-up list."""

import streamlit as st

from dashboard import charts, ui
from dashboard.i18n import MISSING, fmt_number, fmt_pct, t

ui.header("advocacy")
present = ui.present_tables()
f = ui.filters()
params = f.params()

st.subheader(t("nps_title"))
if ui.require("nps"):
    monthly = ui.query("advocacy/nps_monthly", **params)
    if monthly.empty:
        st.info(t("no_nps_in_period"))
    else:
        summary = ui.query("advocacy/nps_summary", **params).iloc[0]
        m = st.columns(4)
        m[0].metric("NPS", fmt_number(summary["nps"], 1), border=True, help=t("kpi_nps_help"))
        m[1].metric(t("responses"), fmt_number(summary["responses"]), border=True)
        m[2].metric(t("promoters"), fmt_pct(summary["promoter_share"]), border=True)
        m[3].metric(t("detractors"), fmt_pct(summary["detractor_share"]), border=True)
        ui.chart_row(
            (charts.fig_nps_trend(monthly), monthly, "adv_trend", t("nps_small_caption")),
            (charts.fig_nps_mix(monthly), monthly, "adv_mix"),
        )
        group = ui.choice(
            t("nps_by"), ["segment", "channel", "touchpoint"], key="adv_group", default="touchpoint", labels="group_"
        )
        groups = ui.query("advocacy/nps_by_group", **params, group_by=group)
        ui.chart(charts.fig_nps_by_group(groups), groups, "adv_groups", caption=t("nps_group_caption"))

st.subheader(t("referrals_title"))
if ui.require("referrals"):
    refs = ui.query("advocacy/referrals_monthly", **params)
    summary = ui.query("advocacy/referral_summary", **params).iloc[0]
    m = st.columns(3)
    m[0].metric(t("referrals"), fmt_number(summary["referrals"]), border=True)
    m[1].metric(t("referred_share"), fmt_pct(summary["referred_share"]), border=True, help=t("referred_share_help"))
    m[2].metric(t("referred_revenue_share"), fmt_pct(summary["referred_revenue_share"]), border=True)
    if "leads" in present:
        conv = ui.query("advocacy/referral_conversion", **params).set_index("origin")
        if "referred" in conv.index:
            st.markdown(
                t(
                    "referral_conversion_sentence",
                    referred=fmt_pct(conv.loc["referred", "conversion_rate"]),
                    n=fmt_number(conv.loc["referred", "leads"]),
                    other=fmt_pct(conv["conversion_rate"].get("other")),
                )
            )
    left, right = st.columns(2)
    with left:
        ui.chart(charts.fig_referrals(refs), refs, "adv_refs")
    with right:
        if "nps" in present:
            rate = ui.query("advocacy/referral_rate_by_nps", **params)
            st.markdown(f"**{t('referral_rate_title')}**")
            st.markdown(
                "\n".join(
                    f"- {t('category_' + r.category)}: **{fmt_pct(r.referral_rate)}** "
                    f"({t('referrers_of', referrers=fmt_number(r.referrers), customers=fmt_number(r.customers))})"
                    for r in rate.itertuples()
                )
            )
        st.markdown(f"**{t('top_referrers')}**")
        top = ui.query("advocacy/top_referrers", **params)
        ui.customer_table(top, "adv_top", limit=100)

st.subheader(t("recovery_title"))
if ui.require("tickets"):
    rec = ui.query("advocacy/complaint_recovery", **params).set_index("outcome")
    if rec.empty:
        st.info(t("no_complaints"))
    else:
        m = st.columns(5)
        m[0].metric(t("complaints"), fmt_number(rec["complaints"].sum()), border=True)
        m[1].metric(t("resolution_rate"), fmt_pct(rec["share_of_complaints"].get("resolved", 0)), border=True)
        days = rec["median_days_to_resolve"].get("resolved")
        m[2].metric(t("median_days_to_resolve"), fmt_number(days, 1) if ui.has(days) else MISSING, border=True)
        r_rate, u_rate = rec["repurchase_rate"].get("resolved"), rec["repurchase_rate"].get("unresolved")
        m[3].metric(t("repurchase_resolved"), fmt_pct(r_rate), border=True, help=t("repurchase_help"))
        m[4].metric(t("repurchase_unresolved"), fmt_pct(u_rate), border=True, help=t("repurchase_help"))
        if ui.has(r_rate) and ui.has(u_rate):
            st.markdown(
                t(
                    "recovery_sentence",
                    resolved=fmt_pct(r_rate),
                    unresolved=fmt_pct(u_rate),
                    diff=fmt_number(abs(r_rate - u_rate) * 100, 1),
                    direction=t("more" if r_rate >= u_rate else "less"),
                    n_r=fmt_number(rec["followed_complaints"].get("resolved", 0)),
                    n_u=fmt_number(rec["followed_complaints"].get("unresolved", 0)),
                )
            )

st.subheader(t("detractors_title"))
if "nps" in present:
    det = ui.query("advocacy/detractor_followup", **params)
    st.caption(t("detractors_caption", n=fmt_number(len(det))))
    ui.customer_table(det, "adv_det")
    ui.download_buttons(det, "detractor_followup", "adv_det_dl")
