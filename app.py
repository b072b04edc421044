"""CRI Dashboard entry: page config, language, global filters and navigation. Nothing else."""

import streamlit as st

from dashboard import i18n, ui
from dashboard.i18n import t

st.set_page_config(page_title="CRI Dashboard", page_icon=":material/insights:", layout="wide")
i18n.set_language(st.session_state.get("lang", "en"))

with st.sidebar:
    st.segmented_control(
        t("language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang", default="en",
        selection_mode="single", label_visibility="collapsed",
    )
    start, end = ui.default_filters()
    # Follow the data: while the user has not changed the period, a new load moves it to the new default.
    if st.session_state.get("_filter_default") != (start, end):
        if st.session_state.get("filter_period") in (None, st.session_state.get("_filter_default")):
            st.session_state["filter_period"] = (start, end)
        st.session_state["_filter_default"] = (start, end)
    st.date_input(t("filter_period"), key="filter_period", format="YYYY-MM-DD", help=t("filter_period_help"))
    options = ui.query("overview/filter_options")
    for name in ("region", "segment", "channel"):
        values = options.loc[options["filter"] == name, "value"].tolist()
        st.multiselect(t(f"filter_{name}"), values, key=f"filter_{name}", placeholder=t("filter_all"),
                       disabled=not values)

pages = {
    t("nav_insights"): [
        st.Page("pages/overview.py", title=t("page_overview"), icon=":material/dashboard:", default=True),
    ],
    t("nav_data"): [
        st.Page("pages/data.py", title=t("page_data"), icon=":material/upload_file:"),
    ],
}
st.navigation(pages).run()
