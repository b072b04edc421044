"""The Overview's KPI models: the previous period's results are asked for inline, with the same numbers."""

from dashboard.filters import Filters, default_period
from dashboard.overview import from_frame, kpis, quadrant_counts
from dashboard.queries import run_query
from dashboard.workspace import Workspace


def test_previous_period_queries_go_through_run_previous_and_give_the_same_kpis(demo_workspace):
    ws = Workspace(demo_workspace)
    con = ws.cursor()
    f = Filters(*default_period(con))
    asked = []

    def get(name, inline=False, **params):
        if inline:
            asked.append((name, params["start"], params["end"]))
        return run_query(con, name, **params)

    def run(name, inline=False, **params):
        return run_query(con, name, **params)

    split = from_frame(kpis(get, **f.params()))
    quadrants = from_frame(quadrant_counts(get, **f.params()))
    prev = f.previous()
    assert {a[1:] for a in asked} == {(prev.start, prev.end)}
    assert sorted(a[0] for a in asked) == [
        "acquisition/channel_totals",
        "advocacy/nps_summary",
        "concentration/pareto_summary",
        "investment/quadrant_summary",
        "overview/period_kpis",
        "retention/churn_rate",
    ]
    assert split == from_frame(kpis(run, **f.params()))
    assert quadrants == from_frame(quadrant_counts(run, **f.params()))
    assert all(k.previous is not None for k in split + quadrants)
    # The store gives the same KPIs as computing them here.
    assert from_frame(ws.results.frame("overview/kpis", f.params())) == split
    ws.close()
