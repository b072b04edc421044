"""Investment map: every customer placed by relationship momentum and value potential, with the four looks."""

import streamlit as st

from dashboard import charts, ui
from dashboard.i18n import Markdown, fmt_money, fmt_number, fmt_pct, t
from dashboard.investment import (
    WEIGHTS,
    explain,
    looks_used,
    weightless_axes,
    weightless_message,
)
from dashboard.queries import PARAM_RANGES, load_query

ui.header("investment")
if not ui.require("orders"):
    st.stop()

f = ui.filters()
with st.container(border=True):
    st.markdown(f"**{t('investment_weights')}**")
    c = iter(st.columns(6))
    # Bounds from the queries' parameter ranges, which the command line enforces too.
    weights = {
        w: next(c).slider(t("look_" + lk), *PARAM_RANGES[w], 1.0, 0.5, key=f"inv_{w}", help=t(f"look_{lk}_help"))
        for lk, w in WEIGHTS.items()
    }
    weights |= {s: next(c).slider(t(s), *PARAM_RANGES[s], 50, 5, key=f"inv_{s}") for s in ("x_split", "y_split")}
    with st.expander(t("stage_factors")):
        cols = st.columns(5)
        factors = ui.query("investment/stage_factors")
        for col, stage, default in zip(cols, factors["stage"], factors["default_factor"], strict=True):
            f_stage = f"f_{stage}"
            weights[f_stage] = col.number_input(
                t("stage_" + stage), *PARAM_RANGES[f_stage], default, 0.1, key=f"inv_{f_stage}"
            )
params = {**f.params(), **weights}


def _ask_for_weights(looks: list[str]) -> None:
    # An axis whose looks all weigh zero places nobody (its scores are NULL): say which weight to raise instead.
    empty = weightless_axes(weights, looks)
    for axis in empty:
        st.warning(weightless_message(axis), icon=":material/balance:")
    if empty:
        st.stop()


_ask_for_weights(list(WEIGHTS))
summary = ui.query("investment/quadrant_summary", **params)
_ask_for_weights(looks_used(summary))  # without categories, value potential rests on the wallet look alone
if summary["customers"].sum() == 0:
    st.info(t("no_data_in_period"))
    st.stop()

cols = st.columns(4)
for col, row in zip(cols, summary.itertuples(), strict=True):
    # Cards stretch to the row's tallest, so a longer name or caption does not leave them uneven.
    with col, st.container(border=True, height="stretch"):
        st.markdown(
            f"<span style='color:{charts.QUADRANT_COLORS[row.quadrant]};font-weight:600'>"
            f"{t('quadrant_' + row.quadrant)}</span>",
            unsafe_allow_html=True,
        )
        action = t("action_" + row.quadrant)  # lower case, as it also ends a sentence elsewhere
        st.caption(action[:1].upper() + action[1:])
        st.metric(t("customers"), fmt_number(row.customers))
        st.caption(
            t(
                "quadrant_card",
                share=fmt_pct(row.revenue_share),
                untapped=fmt_money(row.untapped_wallet),
                score=fmt_number(row.avg_score, 0),
            )
        )

points = ui.query("investment/map_points", **params, customer_id=st.session_state.get("inv_customer"))
total = int(points["total_customers"].iloc[0]) if len(points) else 0
event = st.plotly_chart(
    charts.fig_quadrant_map(points, weights["x_split"], weights["y_split"], st.session_state.get("inv_customer")),
    width="stretch",
    key="inv_map",
    on_select="rerun",
    selection_mode="points",
    config={"displaylogo": False},
)
if points["is_sampled"].any():
    st.caption(t("map_sampled", shown=fmt_number(len(points)), total=fmt_number(total)))
picked = [
    charts.unescape(p["customdata"][0])
    for p in (event.selection.points if event and event.selection else [])
    if p.get("customdata")
]
if picked and picked[0] != st.session_state.get("inv_customer"):
    st.session_state["inv_customer"] = picked[0]
    st.rerun()

with st.expander(t("how_computed"), icon=":material/calculate:", expanded=bool(st.session_state.get("inv_customer"))):
    st.markdown(t("how_computed_general"))
    options = [""] + points.sort_values("score", ascending=False)["customer_id"].tolist()
    current = st.session_state.get("inv_customer") or ""
    chosen = st.selectbox(
        t("pick_customer"),
        options,
        index=options.index(current) if current in options else 0,
        key="inv_pick",
        format_func=lambda c: c or t("pick_customer_none"),
    )
    if chosen != current:
        st.session_state["inv_customer"] = chosen or None
        st.rerun()
    if chosen:
        row = ui.query("investment/customer_quadrants", **params, customer_id=chosen)
        if len(row):
            st.markdown("\n".join(f"- {line}" for line in explain(row.iloc[0])))
            ui.profile_link(chosen)
    used = looks_used(summary)
    st.caption(t("looks_used", looks=Markdown(", ").join(t("look_" + lk) for lk in used)))

st.subheader(t("quadrant_lists"))
q = ui.choice(
    t("quadrant_pick"), charts.QUADRANT_ORDER, key="inv_list_quadrant", default="growth_stock", labels="quadrant_"
)
chosen_list = ui.query("investment/customer_quadrants", **params, quadrant=q, limit=200)
scores = ["revenue_12m", "score", "untapped_rank", "cross_buy", "engagement_rank", "stage", "wallet", "untapped_wallet"]
columns = ["customer_id", "name", *ui.CONTACT_COLUMNS, *scores]
ui.customer_table(chosen_list[columns], "inv_list_table", limit=200)
st.caption(t("list_caption", n=fmt_number(int(summary.set_index("quadrant").loc[q, "customers"]))))
ui.download_buttons(
    lambda: ui.query_now("investment/customer_quadrants", **params, quadrant=q)[columns],
    f"customers_{q}",
    f"inv_dl_{q}",
)
with st.expander(t("sql_and_data"), icon=":material/code:"):
    st.code(load_query("investment/customer_quadrants").sql, language="sql")
