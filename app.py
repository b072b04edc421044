"""CRI Dashboard entry: page config, language, global filters and navigation. Nothing else.

The page files live in views/, not pages/: Streamlit 1.67 still treats a pages/ folder beside the entry file as a
legacy multipage app and wraps this script in its own navigation, which resets the sidebar filters on every change.
"""

import streamlit as st

from dashboard import i18n, ui
from dashboard.i18n import t
from dashboard.pages import PAGES

# An emoji, not a :material/...: icon: Streamlit fetches a material favicon from fonts.gstatic.com, and nothing at run
# time may need the internet (an emoji becomes an inline SVG).
st.set_page_config(page_title="CRI Dashboard", page_icon="📊", layout="wide")
# The language can be given in the link (?lang=zh) so a bookmarked or shared page opens in it.
if "lang" not in st.session_state and st.query_params.get("lang") in i18n.LANGUAGES:
    st.session_state["lang"] = st.query_params["lang"]
i18n.set_language(st.session_state.get("lang", "en"))


def _keep_language() -> None:
    # The choice lives in a plain session key: widget state can be reset when labels change language.
    st.session_state["lang"] = st.session_state.get("lang_choice") or st.session_state.get("lang", "en")


def _keep(key: str) -> None:
    st.session_state["_kept_" + key] = st.session_state.get(key)


with st.sidebar:
    st.segmented_control(
        "Language / 语言",
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key="lang_choice",
        default=st.session_state.get("lang", "en"),
        selection_mode="single",
        label_visibility="collapsed",
        on_change=_keep_language,
    )
    start, end = ui.default_filters()
    # Follow the data: while the user has not changed the period, a new load moves it to the new default.
    if st.session_state.get("_filter_default") != (start, end):
        if st.session_state.get("filter_period") in (None, st.session_state.get("_filter_default")):
            st.session_state["filter_period"] = (start, end)
        st.session_state["_filter_default"] = (start, end)
    if "filter_period" not in st.session_state and st.session_state.get("_kept_filter_period"):
        st.session_state["filter_period"] = st.session_state["_kept_filter_period"]
    st.date_input(
        t("filter_period"),
        key="filter_period",
        format="YYYY-MM-DD",
        help=t("filter_period_help"),
        on_change=_keep,
        args=("filter_period",),
    )
    options = ui.query("overview/filter_options")
    for name in ("region", "segment", "channel"):
        values = options.loc[options["filter"] == name, "value"].tolist()
        key = f"filter_{name}"
        if key not in st.session_state and st.session_state.get("_kept_" + key):
            st.session_state[key] = [v for v in st.session_state["_kept_" + key] if v in values]
        st.multiselect(
            t(key), values, key=key, placeholder=t("filter_all"), disabled=not values, on_change=_keep, args=(key,)
        )

navigation: dict[str, list] = {}
for page in PAGES:
    navigation.setdefault(t(page.group), []).append(
        st.Page(page.path, title=t(f"page_{page.name}"), icon=page.icon, default=page is PAGES[0])
    )
st.navigation(navigation).run()
