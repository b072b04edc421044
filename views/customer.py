"""Customer profile: one customer's lifetime record: attributes, value, tier, stage, NPS and a full timeline."""

from datetime import date

import streamlit as st

from dashboard import ui
from dashboard.i18n import MISSING, Markdown, fmt_date, fmt_money, fmt_number, md, t

ui.header("customer", caption=False)
if "id" in st.query_params and st.session_state.get("profile_from_link") != st.query_params["id"]:
    st.session_state["profile_id"] = st.query_params["id"]
    st.session_state["profile_from_link"] = st.query_params["id"]

q = st.text_input(t("profile_search"), key="profile_q", placeholder=t("profile_search_hint"))
if q:
    hits = ui.query("customer/search", q=q)
    if hits.empty:
        st.info(t("profile_no_match", q=q))
    else:
        pick = st.selectbox(
            t("profile_matches", n=len(hits)),
            hits["customer_id"].tolist(),
            key="profile_pick",
            format_func=lambda c: f"{c} · {hits.set_index('customer_id').loc[c, 'name'] or ''}",
        )
        if pick != st.session_state.get("profile_id"):
            st.session_state["profile_id"] = pick

cid = st.session_state.get("profile_id")
if not cid:
    st.info(t("profile_pick_first"), icon=":material/person_search:")
    st.stop()

profile = ui.query("customer/profile", customer_id=cid)
if profile.empty:
    st.warning(t("profile_unknown", id=cid))
    st.stop()
p = profile.iloc[0]
f = ui.filters()
st.subheader(md(f"{p['name'] if ui.has(p['name']) else cid} · {cid}"))
facts = [p[k] for k in ("segment", "region", "acquisition_channel") if ui.has(p[k])]
if ui.has(p["owner"]):
    facts.append(t("profile_owner", owner=p["owner"]))
st.caption(Markdown(" · ").join(facts))

# Tier over the customer's whole history up to the period's end.
values = ui.query(
    "concentration/customer_values", start=date(1900, 1, 1), end=f.end, measure="revenue", customer_id=cid
)
tier = values["tier"]
stage = ui.query("investment/customer_quadrants", start=f.start, end=f.end, customer_id=cid)
m = st.columns(5)
m[0].metric(t("col_lifetime_revenue"), fmt_money(p["lifetime_revenue"]), border=True)
m[1].metric(
    t("lifetime_margin"), fmt_money(p["lifetime_margin"]) if ui.has(p["lifetime_margin"]) else MISSING, border=True
)
m[2].metric(t("col_orders"), fmt_number(p["orders"]), border=True)
m[3].metric(t("tier"), md(ui.show(tier.iloc[0])) if len(tier) else MISSING, border=True, help=t("tier_help"))
m[4].metric(
    t("col_stage"),
    t("stage_" + stage.iloc[0]["stage"]) if len(stage) else MISSING,
    border=True,
    help=t("quadrant_" + stage.iloc[0]["quadrant"]) if len(stage) else None,
)

left, right = st.columns(2)
with left:
    rows = {
        t("col_first_order_date"): fmt_date(p["first_order_date"]),
        t("col_last_order_date"): fmt_date(p["last_order_date"]),
        t("profile_categories"): ui.show(p["categories"]),
        t("col_wallet"): fmt_money(p["wallet"]) if ui.has(p["wallet"]) else MISSING,
        t("profile_credit"): ui.show(p["credit_rating"]),
        t("profile_referred_by"): ui.show(p["referred_by"]),
    }
    st.markdown("\n".join(f"- **{k}**: {md(v)}" for k, v in rows.items()))
with right:
    contact = {t("col_phone"): p["phone"], t("col_email"): p["email"], t("col_wechat"): p["wechat"]}
    st.markdown("\n".join(f"- **{k}**: {md(ui.show(v))}" for k, v in contact.items()))
    st.markdown(
        t(
            "profile_nps",
            n=fmt_number(p["nps_responses"] if ui.has(p["nps_responses"]) else 0),
            latest=ui.show(p["latest_nps"]),
            referrals=fmt_number(p["referrals_made"]),
            tickets=fmt_number(p["open_tickets"]),
        )
    )
    if ui.has(p["referred_by"]):
        ui.profile_link(p["referred_by"])

st.subheader(t("timeline_title"))
timeline = ui.query("customer/timeline", customer_id=cid)
timeline = timeline.assign(kind=timeline["kind"].map(lambda k: t("event_" + k)))
cols = ["occurred_at", "kind", "title", "detail", "amount"]
ui.table(timeline, cols)
ui.download_buttons(timeline, f"timeline_{cid}", "profile_timeline")
