"""The Overview's KPI assembly: the previous period's queries go through their own runner, with the same numbers."""

from dashboard.filters import Filters, default_period
from dashboard.overview import compute_kpis, quadrant_counts
from dashboard.queries import run_query
from dashboard.workspace import Workspace


def test_previous_period_queries_go_through_run_previous_and_give_the_same_kpis(demo_workspace):
    ws = Workspace(demo_workspace)
    con = ws.cursor()
    f = Filters(*default_period(con))
    present = ws.present_tables()
    asked = []

    def run(name, **params):
        return run_query(con, name, **params)

    def run_previous(name, **params):
        asked.append((name, params["start"], params["end"]))
        return run_query(con, name, **params)

    split = compute_kpis(run, f, present, run_previous=run_previous)
    quadrants = quadrant_counts(run, f, run_previous=run_previous)
    prev = f.previous()
    assert {a[1:] for a in asked} == {(prev.start, prev.end)}
    assert sorted(a[0] for a in asked) == [
        "acquisition/conversion_by_month",
        "advocacy/nps_monthly",
        "concentration/pareto_summary",
        "investment/quadrant_summary",
        "overview/period_kpis",
        "retention/monthly_churn",
    ]
    assert split == compute_kpis(run, f, present)
    assert quadrants == quadrant_counts(run, f)
    assert all(k.previous is not None for k in split + quadrants)
    ws.close()
