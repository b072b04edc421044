"""The app's pages in navigation order: one registry for the navigation in app.py and for every link to a page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A page: ``views/<name>.py``, titled by the message ``page_<name>``, in the navigation group ``group``."""

    name: str
    icon: str
    group: str = "nav_insights"
    # The results its first view asks for with the default filters: every change of the data computes them at once
    # (dashboard.results.refresh), so the page is quick on the first visit after a load, in any process.
    first_view: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """The page file, relative to the app's folder (as st.Page and st.page_link take it)."""
        return f"views/{self.name}.py"


PAGES = (
    Page("overview", ":material/dashboard:", first_view=("overview/kpis", "overview/quadrant_counts")),
    Page("acquisition", ":material/campaign:"),
    Page("concentration", ":material/pie_chart:"),
    Page("retention", ":material/autorenew:"),
    Page("advocacy", ":material/recommend:"),
    Page("investment", ":material/grid_view:"),
    Page("customer", ":material/person:"),
    Page("data", ":material/upload_file:", "nav_data"),
)
BY_NAME = {page.name: page for page in PAGES}


def path(name: str) -> str:
    """The file of page ``name`` (``views/<name>.py``)."""
    return BY_NAME[name].path
