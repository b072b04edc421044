"""The command line: demo, load (report, rejects file, exit codes) and query, checked against pandas to the cent."""

import json
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.config import ROOT, SAMPLES_DIR


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_demo_is_deterministic_for_a_seed(tmp_path):
    assert main(["demo", "--out", str(tmp_path / "a"), "--customers", "300", "--seed", "3"]) == 0
    assert main(["demo", "--out", str(tmp_path / "b"), "--customers", "300", "--seed", "3"]) == 0
    assert main(["demo", "--out", str(tmp_path / "c"), "--customers", "300", "--seed", "4"]) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(
        f"{t}.csv" for t in ["orders", "customers", "leads", "ad_spend", "nps", "referrals", "interactions", "tickets"]
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "orders.csv").read_bytes() != (tmp_path / "c" / "orders.csv").read_bytes()


def test_load_and_query_match_pandas_to_the_cent(tmp_path):
    ws = tmp_path / "ws.duckdb"
    r = run("load", "auto", str(SAMPLES_DIR / "orders.csv"), str(SAMPLES_DIR / "customers.csv"), "--workspace", str(ws))
    assert r.returncode == 0, r.stderr
    assert "orders.csv: orders" in r.stdout and "customers.csv: customers" in r.stdout
    r = run(
        "query",
        "overview/period_kpis",
        "--param",
        "start=2025-11-01",
        "--param",
        "end=2026-10-31",
        "--format",
        "json",
        "--workspace",
        str(ws),
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)[0]
    df = pd.read_csv(SAMPLES_DIR / "orders.csv", dtype=str)
    in_period = df[(df["订单日期"] >= "2025-11-01") & (df["订单日期"] <= "2026-10-31")]
    revenue = sum(Decimal(v) for v in in_period["成交金额"])
    margin = sum(Decimal(v) for v in in_period["毛利"])
    assert Decimal(str(got["revenue"])).quantize(Decimal("0.01")) == revenue
    assert Decimal(str(got["gross_margin"])).quantize(Decimal("0.01")) == margin
    assert got["active_customers"] == in_period["客户编号"].nunique()
    first = df.groupby("客户编号")["订单日期"].min()
    assert got["new_customers"] == int(((first >= "2025-11-01") & (first <= "2026-10-31")).sum())


def test_load_writes_rejected_rows_beside_the_workspace(tmp_path):
    csv = tmp_path / "orders.csv"
    csv.write_text("customer_id,order_date,amount\nC1,2024-01-05,1\nC2,someday,2\n", encoding="utf-8")
    ws = tmp_path / "ws" / "w.duckdb"
    r = run("load", "orders", str(csv), "--workspace", str(ws))
    assert r.returncode == 0
    assert "rows read 2, loadable 1, rejected 1" in r.stdout
    rejects = list((tmp_path / "ws" / "rejects").glob("orders-*.csv"))
    assert len(rejects) == 1
    report = pd.read_csv(rejects[0], encoding="utf-8-sig")
    assert report[["row", "column", "value", "reason"]].values.tolist() == [
        [3, "order_date", "someday", "reason_bad_date"]
    ]


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        ("", "orders", "The file is empty."),
        ("lead_id,created_at,channel\nL1,2024-01-01,Ads\n", "orders", "It looks like leads"),
        ("customer_id,order_date,amount\nC1,never,x\n", "orders", "No row could be loaded"),
    ],
)
def test_load_exits_non_zero_when_nothing_was_loaded(tmp_path, content, kind, message):
    csv = tmp_path / "x.csv"
    csv.write_text(content, encoding="utf-8")
    r = run("load", kind, str(csv), "--workspace", str(tmp_path / "w.duckdb"))
    assert r.returncode == 1
    assert message in r.stderr


def test_load_with_a_mapping_override(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("who,when,how much\nC1,2024-01-05,12.34\n", encoding="utf-8")
    ws = str(tmp_path / "w.duckdb")
    r = run(
        "load",
        "orders",
        str(csv),
        "--map",
        "who=customer_id",
        "--map",
        "when=order_date",
        "--map",
        "how much=amount",
        "--workspace",
        ws,
    )
    assert r.returncode == 0, r.stderr
    r = run(
        "query",
        "overview/period_kpis",
        "--param",
        "start=2024-01-01",
        "--param",
        "end=2024-12-31",
        "--format",
        "csv",
        "--workspace",
        ws,
    )
    assert r.stdout.splitlines()[1].startswith("12.34,")


def test_query_errors_are_clear(tmp_path):
    r = run("query", "no/such_query", "--workspace", str(tmp_path / "w.duckdb"))
    assert r.returncode == 2 and "Unknown query no/such_query" in r.stderr
    r = run("query", "overview/period_kpis", "--param", "nope=1", "--workspace", str(tmp_path / "w.duckdb"))
    assert r.returncode == 2 and "Unknown parameter nope" in r.stderr


def test_query_table_output_in_chinese(tmp_path):
    r = run("--lang", "zh", "query", "overview/data_bounds", "--workspace", str(tmp_path / "w.duckdb"))
    assert r.returncode == 0 and "table_name" in r.stdout and "orders" in r.stdout


def test_query_reads_a_model_like_a_query(tmp_path, demo_workspace):
    import shutil

    ws = tmp_path / "w.duckdb"
    shutil.copy(demo_workspace, ws)
    r = run("query", "retention/projection", "--param", "target_rate=0.05", "--format", "json", "--workspace", str(ws))
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)[0]
    assert row["target_rate"] == 0.05 and row["lost"] > row["saved_customers"] > 0
    r = run("query", "retention/projection", "--param", "target_rate=2", "--workspace", str(ws))
    assert r.returncode == 2 and "0.0 to 1.0" in r.stderr
    r = run("query", "overview/kpis", "--format", "csv", "--workspace", str(ws))
    assert r.returncode == 0 and r.stdout.count("\n") == 9 and "kpi_revenue" in r.stdout
