"""What the pages draw with; nothing here computes a metric.

Three rooms: ``state`` (the workspace, results, filters), ``widgets`` (what is drawn) and ``formats`` (how result
columns are labelled and formatted). Pages import ``ui`` and read these names from it.
"""

from .formats import column_config, has, show
from .state import default_filters, filters, latest_date, present_tables, query, query_now, workspace
from .widgets import (
    CONTACT_COLUMNS,
    DATA_PAGE,
    chart,
    chart_row,
    choice,
    customer_table,
    demo_badge,
    download_buttons,
    header,
    kpi_card,
    profile_link,
    require,
    table,
)
