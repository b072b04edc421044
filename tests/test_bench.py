"""The benchmark runs end to end at a small scale, and ours and the pandas baseline agree on every metric."""

import json

from dashboard.bench import bench_ingest, prepare_data
from dashboard.cli import main


def test_bench_small(tmp_path):
    assert main(["bench", "--customers", "3000", "--repeat", "1", "--out", str(tmp_path), "--skip-pages"]) == 0
    report = json.loads((tmp_path / "bench-3000.json").read_text())
    assert {r["table"] for r in report["ingest"]} == {
        "orders",
        "customers",
        "leads",
        "ad_spend",
        "nps",
        "referrals",
        "interactions",
        "tickets",
    }
    assert all(r["exit"] == 0 and r["rows"] > 0 and r["peak_rss_mb"] > 0 for r in report["ingest"])
    assert len(report["queries"]) >= 30
    assert [r["metric"] for r in report["baseline"] if not r["same_numbers"]] == []
    assert [r["metric"] for r in report["baseline"]] == [
        "pareto_summary",
        "monthly_churn",
        "cohort_retention",
        "channel_conversion",
        "nps_monthly",
        "quadrant_looks",
    ]
    fetched = {r["query"]: r["fetched_as"] for r in report["queries"]}
    # Every result is computed into a table of the result store; one a page could show whole is fetched too.
    assert fetched["retention/monthly_churn"] == "frame"
    assert fetched["scope/days_in_scope"] == "table"  # more rows than a page shows: counted, not fetched
    # Every query reports the rows it holds.
    rows = {r["query"]: r["rows"] for r in report["queries"]}
    assert rows["scope/customers_in_scope"] == 3000
    assert "| scope/days_in_scope | table |" in (tmp_path / "bench-3000.md").read_text()


def test_a_load_reports_its_own_peak_memory(tmp_path):
    """A load's peak memory is its child process's own, not the size of the bench process that started it."""
    folder = prepare_data(tmp_path, 300)
    # The bench holds far more than a small load needs (as it does after generating a million customers' data).
    ballast = b"x" * (1200 << 20)
    rows = bench_ingest(folder, tmp_path / "ws.duckdb")
    del ballast
    peaks = {r["table"]: r["peak_rss_mb"] for r in rows}
    assert all(50 < mb < 800 for mb in peaks.values()), peaks
