"""The benchmark: ``python -m dashboard bench [--customers N] [--repeat K]`` (issue 8, DESIGN.md section 8).

Measures, at scale, on demo data cached on disk: loading the orders, customers and leads CSV exports through the
real load path (each in its own process, so its peak memory is its own); every query warm with the default
filters and with a filtered call; every page rendered server-side with AppTest; and the core metrics written in
idiomatic pandas, side by side with ours, checking both give the same numbers. Writes a table to stdout and
JSON to ``<out>/bench-<customers>.json``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from . import pages
from .config import ROOT
from .filters import default_period
from .queries import list_queries
from .results import Results
from .workspace import Workspace

BENCH_PARAMS = {
    "window_days": 90,
    "measure": "revenue",
    "group_by": None,
    "q": "C00001",
    "customer_id": "C0000001",
    "max_points": 4000,
    # Customer lists are asked for their first rows with a total, as the pages ask (a download builds the whole
    # list when clicked).
    "limit": 500,
}
PAGES = ["overview", "acquisition", "concentration", "retention", "advocacy", "investment", "customer", "data"]


def _timed(fn, repeat: int, min_seconds: float = 0.0) -> tuple[list[float], object]:
    # A few milliseconds are within a machine's noise: with min_seconds, a fast call is repeated (up to 100 times)
    # until the runs add up to that long, as timeit does, so its median is not three samples of jitter.
    times, result = [], None
    while len(times) < repeat or (sum(times) < min_seconds and len(times) < 100):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def prepare_data(out: Path, customers: int, seed: int = 7) -> Path:
    """Write (once) the demo exports for ``customers`` under ``out``; return their folder."""
    folder = out / f"exports-{customers}-{seed}"
    if not (folder / "tickets.csv").exists():
        t0 = time.perf_counter()
        # In a process of its own: the generator holds several GB at a million customers, which this process would
        # keep through every later measurement.
        command = ["demo", "--out", str(folder), "--customers", str(customers), "--seed", str(seed)]
        subprocess.run([sys.executable, "-m", "dashboard", *command], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        print(f"generated demo exports in {time.perf_counter() - t0:.1f} s -> {folder}", flush=True)
    return folder


def load_and_report_peak(argv: list[str]) -> int:
    """Run ``python -m dashboard`` with ``argv`` (a load), then print this process's peak memory as ``peak_kb=N``.

    What a load child runs. Not wait4's ru_maxrss: Linux starts a child's at the resident size of the process that
    forked it (a bench that had just generated its data read 10 GB for every load). VmHWM counts only this
    program; ru_maxrss where there is no /proc. Returns the command's exit code.
    """
    import resource

    from .cli import main as cli_main

    code = cli_main(argv)
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    print(f"peak_kb={peak}")
    return code


_LOAD_CHILD = "import sys; from dashboard import bench; sys.exit(bench.load_and_report_peak(sys.argv[1:]))"


def bench_ingest(folder: Path, ws_path: Path) -> list[dict]:
    """Load every export through ``python -m dashboard load`` in a child process; time, rows/s, peak memory."""
    rows = []
    if ws_path.exists():
        ws_path.unlink()
    for kind in ("orders", "customers", "leads", "ad_spend", "nps", "referrals", "interactions", "tickets"):
        path = folder / f"{kind}.csv"
        t0 = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _LOAD_CHILD, "load", kind, str(path), "--workspace", str(ws_path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - t0
        peak_kb = int(child.stdout.rsplit("peak_kb=", 1)[-1]) if "peak_kb=" in child.stdout else 0
        ws = Workspace(ws_path)
        n = ws.row_counts()[kind]
        ws.close()
        rows.append(
            {
                "table": kind,
                "rows": n,
                "seconds": round(seconds, 2),
                "rows_per_second": round(n / seconds),
                "peak_rss_mb": round(peak_kb / 1024),
                "exit": child.returncode,
            }
        )
        print(
            f"load {kind:13} {n:>11,} rows {seconds:7.1f} s {n / seconds:>12,.0f} rows/s "
            f"peak {rows[-1]['peak_rss_mb']} MB",
            flush=True,
        )
    return rows


def fetch_as_app(store, name: str, params: dict):
    """Compute query ``name`` into the result store as a page's first ask does, and fetch what the page gets.

    The shared blocks it uses come from the store (computed once per parameter set, timed as queries of their own).
    A result of more than :data:`PAGE_ROWS` rows is never fetched whole by a page (the building blocks, read by
    other queries; the lists, read a page at a time), so it is counted; the others come back as a DataFrame.
    Returns (how, result), ``how`` being ``"table"`` or ``"frame"``.
    """
    table = store.compute(name, params)
    counted = store.cursor().execute(f"SELECT count(*) AS n FROM {table}").df()
    if counted["n"].iloc[0] > PAGE_ROWS:
        return "table", counted
    return "frame", store.cursor().execute(f"SELECT * FROM {table}").df()


PAGE_ROWS = 10_000


def bench_queries(ws, repeat: int) -> list[dict]:
    """Median and max of ``repeat`` warm runs of every query, default filters and one region over 3 months."""
    store = Results(ws)
    con = store.cursor()
    start, end = default_period(con)
    top = con.execute("SELECT region FROM customers GROUP BY region ORDER BY count(*) DESC LIMIT 1").fetchall()
    three = date(end.year, end.month, 1) - timedelta(days=1)
    three = (three.replace(day=1) - timedelta(days=1)).replace(day=1)
    filtered = {"start": three, "end": end, "region": [top[0][0]] if top else None}
    out = []
    for name in list_queries():
        base = {**BENCH_PARAMS, "start": start, "end": end}
        fbase = {**base, **filtered}
        fetch_as_app(store, name, base)  # warm-up, and the blocks it reads
        fetch_as_app(store, name, fbase)
        times, (how, result) = _timed(lambda n=name, b=base: fetch_as_app(store, n, b), repeat)
        ftimes, _ = _timed(lambda n=name, b=fbase: fetch_as_app(store, n, b), repeat)
        out.append(
            {
                "query": name,
                "fetched_as": how,
                "rows": int(result["n"].iloc[0]) if how == "table" else len(result),
                "median_s": round(statistics.median(times), 4),
                "max_s": round(max(times), 4),
                "filtered_median_s": round(statistics.median(ftimes), 4),
                "filtered_max_s": round(max(ftimes), 4),
            }
        )
        print(
            f"query {name:40} {out[-1]['median_s']:7.3f} s  filtered {out[-1]['filtered_median_s']:7.3f} s", flush=True
        )
    return out


def bench_pages(ws_path: Path, repeat: int) -> list[dict]:
    """Server-side render time of every page with AppTest: the first (cold) run and the median of warm runs."""
    import logging

    from streamlit.testing.v1 import AppTest

    # AppTest sets session state outside a script run ("bare mode"), which streamlit warns about twice per run;
    # streamlit resets its loggers' levels when its config loads, so the warnings are switched off at the source.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    os.environ["CRI_WORKSPACE"] = str(ws_path)
    out = []
    for page in PAGES:
        times = []
        for _ in range(repeat + 1):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.session_state["profile_id"] = "C0000001"
            if page != "overview":
                at.switch_page(pages.path(page))
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
        warm = round(statistics.median(times[1:]), 3)
        out.append({"page": page, "cold_s": round(times[0], 3), "warm_median_s": warm})
        print(f"page  {page:14} cold {times[0]:6.2f} s  warm {out[-1]['warm_median_s']:6.2f} s", flush=True)
    return out


# -- the pandas baseline: how an analyst would compute the core metrics in a notebook --------------------------


def _pandas_frames(con) -> dict[str, pd.DataFrame]:
    tables = ("orders", "customers", "leads", "nps", "ad_spend", "interactions", "referrals")
    return {t: con.execute(f"SELECT * FROM {t}").df() for t in tables}


def pandas_pareto(orders: pd.DataFrame, start, end) -> dict:
    """Top-20% share, customers for 80% and Gini, the notebook way."""
    o = orders[(orders["order_date"] >= pd.Timestamp(start)) & (orders["order_date"] <= pd.Timestamp(end))]
    values = o.groupby("customer_id")["amount"].sum().astype(float).sort_values(ascending=False)
    n, total = len(values), values.sum()
    top = values.iloc[: int(np.ceil(0.2 * n))].sum() / total
    cum = values.cumsum() / total
    for_80 = int((cum < 0.8).sum() + 1)
    asc = np.sort(values.to_numpy())
    gini = 2 * np.sum(np.arange(1, n + 1) * asc) / (n * total) - (n + 1) / n
    return {"customers": n, "top20_share": top, "customers_for_80pct": for_80, "gini": gini}


def pandas_monthly_churn(orders: pd.DataFrame, start, end, window: int = 90) -> pd.DataFrame:
    """Monthly churn with the same definitions, written with groupby/shift and a loop over months."""
    o = orders[orders["order_date"] <= pd.Timestamp(end)][["customer_id", "order_date"]].drop_duplicates()
    o = o.sort_values(["customer_id", "order_date"])
    o["next"] = o.groupby("customer_id")["order_date"].shift(-1)
    o["prev"] = o.groupby("customer_id")["order_date"].shift(1)
    o["churn"] = o["order_date"] + pd.Timedelta(days=window)
    as_of = o["order_date"].max()
    months = pd.date_range(
        max(pd.Timestamp(start), o["order_date"].min()).to_period("M").to_timestamp(),
        as_of.to_period("M").to_timestamp(),
        freq="MS",
    )
    rows = []
    for m in months:
        nxt = m + pd.offsets.MonthBegin(1)
        holds = (o["order_date"] <= m) & (o["next"].isna() | (o["next"] > m))
        active = holds & (o["churn"] > m)
        churned = (
            holds
            & (o["churn"] > m)
            & (o["churn"] <= nxt)
            & (o["churn"] <= as_of)
            & (o["next"].isna() | ((o["next"] - o["order_date"]).dt.days > window))
        )
        rows.append({"month": m, "active_start": int(active.sum()), "churned": int(churned.sum())})
    return pd.DataFrame(rows)


def pandas_cohorts(orders: pd.DataFrame, start, end) -> pd.DataFrame:
    """Cohort retention counts: customers by first-order month active k months later."""
    o = orders[orders["order_date"] <= pd.Timestamp(end)][["customer_id", "order_date"]].copy()
    o["month"] = o["order_date"].dt.to_period("M")
    first = o.groupby("customer_id")["order_date"].min()
    cohort = first[first >= pd.Timestamp(start)].dt.to_period("M").rename("cohort")
    o = o.join(cohort, on="customer_id", how="inner")
    o["k"] = (o["month"] - o["cohort"]).apply(lambda d: d.n)
    return o.groupby(["cohort", "k"])["customer_id"].nunique().rename("active_customers").reset_index()


WON_STAGES = {
    *("won", "closed won", "closed-won", "converted", "customer", "deal", "1", "true", "yes", "y"),
    *("成交", "已成交", "赢单", "已转化", "转化", "已签约", "签约", "是"),
}
LOST_STAGES = {
    *("lost", "closed lost", "closed-lost", "disqualified", "junk", "0", "false", "no", "n"),
    *("输单", "丢单", "失败", "已流失", "无效", "否"),
}


def pandas_channel_conversion(
    leads: pd.DataFrame, orders: pd.DataFrame, ad_spend: pd.DataFrame, start, end
) -> pd.DataFrame:
    """Leads, conversions, days to convert, 365-day revenue and spend per channel, the notebook way."""
    day = leads["created_at"].dt.normalize()
    d = leads[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))].copy()
    stage = d["stage"].fillna("").str.strip().str.lower()
    d["converted"] = stage.isin(WON_STAGES) | (d["converted_at"].notna() & ~stage.isin(LOST_STAGES))
    d["days"] = (d["converted_at"].dt.normalize() - d["created_at"].dt.normalize()).dt.days.where(d["converted"])
    # Revenue: the converted customer's orders in the 365 days from conversion; the deal value without a customer.
    won = d[d["converted"]].copy()
    won["from"] = won["converted_at"].fillna(won["created_at"]).dt.normalize()
    m = won[["lead_id", "customer_id", "from"]].merge(orders[["customer_id", "order_date", "amount"]], on="customer_id")
    m = m[(m["order_date"] >= m["from"]) & (m["order_date"] < m["from"] + pd.Timedelta(days=365))]
    revenue = m.groupby("lead_id")["amount"].sum().astype(float)
    won["revenue"] = won["lead_id"].map(revenue)
    won.loc[won["customer_id"].isna(), "revenue"] = won["deal_value"].astype(float)
    d["revenue"] = d["lead_id"].map(won.set_index("lead_id")["revenue"])
    out = d.groupby("channel").agg(
        leads=("lead_id", "size"),
        converted=("converted", "sum"),
        median_days_to_convert=("days", lambda x: x[x >= 0].median()),
        revenue_365d=("revenue", lambda x: x.sum(min_count=1)),
    )
    month = ad_spend["month"]
    months = ad_spend[(month >= pd.Timestamp(start).replace(day=1)) & (month <= pd.Timestamp(end))]
    out = out.join(months.groupby("channel")["spend"].sum().astype(float), how="outer")
    out[["leads", "converted"]] = out[["leads", "converted"]].fillna(0).astype("int64")
    out["cpa"] = out["spend"] / out["converted"].replace(0, np.nan)
    out["roas"] = out["revenue_365d"].fillna(0) / out["spend"]
    return out.reset_index()


def pandas_nps(nps: pd.DataFrame, start, end) -> pd.DataFrame:
    """NPS per month."""
    day = nps["responded_at"].dt.normalize()
    d = nps[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))].copy()
    d["month"] = d["responded_at"].dt.to_period("M")
    g = d.groupby("month")["score"]
    return pd.DataFrame(
        {"responses": g.size(), "nps": 100 * (g.apply(lambda s: (s >= 9).mean()) - g.apply(lambda s: (s <= 6).mean()))}
    ).reset_index()


def pandas_looks(orders, customers, interactions, nps, referrals, end, window_days: int = 90) -> pd.DataFrame:
    """The four investment looks of every customer (investment/customer_looks), the notebook way.

    Inputs are the canonical tables as DataFrames and the period's end; returns one row per customer id with
    untapped, rank, cross_buy, engagement, engagement_rank and stage.
    """
    o = orders[orders["order_date"] <= pd.Timestamp(end)]
    as_of = o["order_date"].max()

    def ago(months: int):
        return as_of - pd.DateOffset(months=months)

    def spend(lo, hi) -> pd.Series:
        w = o[(o["order_date"] > lo) & (o["order_date"] <= hi)]
        return w.groupby("customer_id")["amount"].sum().astype(float)

    by_customer = o.groupby("customer_id")["order_date"]
    df = pd.DataFrame({"first": by_customer.min(), "last": by_customer.max()})
    windows = {"s0": (ago(12), as_of), "s1": (ago(24), ago(12)), "s2": (ago(36), ago(24))}
    windows |= {"s6": (ago(6), as_of), "p6": (ago(12), ago(6))}
    for col, (lo, hi) in windows.items():
        df[col] = spend(lo, hi).reindex(df.index).fillna(0.0)
    df = df.join(customers.set_index("customer_id")[["segment", "wallet"]])

    # Look 1: untapped wallet (the given wallet, else the best 12 months or the segment's median) and its rank.
    med = df[(df["s0"] > 0) & df["segment"].notna()].groupby("segment")["s0"].median()
    est = np.maximum(df[["s0", "s1", "s2"]].max(axis=1), df["segment"].map(med).fillna(0).astype(float))
    df["untapped"] = np.maximum(df["wallet"].astype(float).fillna(est) - df["s0"], 0).round(6)

    # Look 2: cross-buy: the adoption-weighted share of the group's popular categories (>= 20% of its buyers in
    # 24 months) not bought; the group is the segment, or every customer for those without one.
    group = df["segment"].fillna("")
    bought = o.loc[(o["order_date"] > ago(24)) & o["category"].notna(), ["customer_id", "category"]]
    bought = bought.drop_duplicates()
    bought["grp"] = bought["customer_id"].map(group)
    sizes = pd.concat([group[group != ""].value_counts(), pd.Series({"": len(df)})])
    overall = bought.groupby("category").size()
    overall.index = pd.MultiIndex.from_product([[""], overall.index], names=["grp", "category"])
    buyers = pd.concat([bought[bought["grp"] != ""].groupby(["grp", "category"]).size(), overall])
    popular = buyers[buyers / buyers.index.get_level_values("grp").map(sizes).to_numpy() >= 0.2]
    totals = group.map(popular.groupby(level="grp").sum())
    got = bought.join(popular.rename("b"), on=["grp", "category"]).groupby("customer_id")["b"].sum()
    df["cross_buy"] = (totals - got.reindex(df.index).fillna(0)) / totals

    # Look 3: engagement: orders (distinct ids a day, plus lines without one), interactions, NPS answers and
    # referrals made in the last 90 days.
    recent = o[o["order_date"] > as_of - pd.Timedelta(days=90)]
    per_day = recent.groupby(["customer_id", "order_date"])["order_id"].nunique().groupby(level=0).sum()
    no_id = recent[recent["order_id"].isna()].groupby("customer_id").size()
    lo, hi = as_of - pd.Timedelta(days=89), as_of + pd.Timedelta(days=1)
    events = pd.concat(
        [
            interactions.loc[interactions["occurred_at"].between(lo, hi, inclusive="left"), "customer_id"],
            nps.loc[nps["responded_at"].between(lo, hi, inclusive="left"), "customer_id"],
            referrals.loc[referrals["referred_at"].between(lo, hi, inclusive="left"), "referrer_id"],
        ]
    ).value_counts()
    df["engagement"] = sum(s.reindex(df.index).fillna(0) for s in (per_day, no_id, events)).astype("int64")

    for look, rank in (("untapped", "rank"), ("engagement", "engagement_rank")):
        df[rank] = (df[look].rank(method="min") - 1) / max(len(df) - 1, 1)

    # Look 4: lifecycle stage. Spend compared in cents, so the 1.2x and 0.8x tests are exact as SQL's decimals.
    s6, p6 = (df["s6"] * 100).round(), (df["p6"] * 100).round()
    df["stage"] = np.select(
        [
            df["last"] <= as_of - pd.Timedelta(days=window_days),
            df["first"] > as_of - pd.Timedelta(days=90),
            (s6 > 0) & (10 * s6 >= 12 * p6),
            10 * s6 < 8 * p6,
        ],
        ["dormant", "new", "growth", "decline"],
        "mature",
    )
    return df


def bench_baseline(ws, repeat: int) -> list[dict]:
    """Ours vs the pandas baseline for each core metric: times, ratio, and whether the numbers agree."""
    store = Results(ws)
    con = store.cursor()
    start, end = default_period(con)
    t0 = time.perf_counter()
    frames = _pandas_frames(con)
    load_s = time.perf_counter() - t0
    print(f"pandas baseline: frames fetched in {load_s:.1f} s (not counted below)", flush=True)
    o, c, ld, n = frames["orders"], frames["customers"], frames["leads"], frames["nps"]
    cases = []

    def check_pareto(ours, theirs):
        r = ours.iloc[0]
        return (
            abs(r.top20_share - theirs["top20_share"]) < 1e-9
            and abs(r.gini - theirs["gini"]) < 1e-9
            and int(r.customers_for_80pct) == theirs["customers_for_80pct"]
        )

    def check_churn(ours, theirs):
        return (
            ours[["active_start", "churned"]]
            .reset_index(drop=True)
            .equals(theirs[["active_start", "churned"]].astype("int64").reset_index(drop=True))
        )

    def check_cohorts(ours, theirs):
        a = ours[ours["active_customers"] > 0][["months_since", "active_customers"]].reset_index(drop=True)
        b = theirs.sort_values(["cohort", "k"])[["k", "active_customers"]].reset_index(drop=True)
        return len(a) == len(b) and (a["active_customers"].to_numpy() == b["active_customers"].to_numpy()).all()

    def check_conversion(ours, theirs):
        m = ours.merge(theirs, on="channel", suffixes=("", "_pd"))
        return (
            len(m) == len(theirs) == len(ours)
            and (m["leads"] == m["leads_pd"]).all()
            and (m["converted"] == m["converted_pd"]).all()
            and all(
                np.allclose(m[c].astype(float), m[f"{c}_pd"].astype(float), rtol=1e-9, equal_nan=True)
                for c in ("median_days_to_convert", "revenue_365d", "spend", "cpa", "roas")
            )
        )

    def check_nps(ours, theirs):
        return len(ours) == len(theirs) and np.allclose(ours["nps"].to_numpy(), theirs["nps"].to_numpy())

    ids = con.execute("SELECT ck, customer_id FROM _customer_keys").df().set_index("ck")["customer_id"]

    def check_looks(ours, theirs):
        m = ours.assign(customer_id=ours["ck"].map(ids)).set_index("customer_id")
        m = m.join(theirs.rename(columns=lambda c: f"{c}_pd"))
        return (
            len(ours) == len(theirs)
            and np.allclose(m["untapped_wallet"], m["untapped_pd"])
            and np.allclose(m["untapped_rank"], m["rank_pd"])
            and np.allclose(m["cross_buy"].astype(float), m["cross_buy_pd"].astype(float), equal_nan=True)
            and (m["engagement"] == m["engagement_pd"]).all()
            and np.allclose(m["engagement_rank"], m["engagement_rank_pd"])
            and (m["stage"] == m["stage_pd"]).all()
        )

    specs = [
        (
            "pareto_summary",
            "concentration/pareto_summary",
            {"measure": "revenue"},
            lambda: pandas_pareto(o, start, end),
            check_pareto,
        ),
        (
            "monthly_churn",
            "retention/monthly_churn",
            {"window_days": 90},
            lambda: pandas_monthly_churn(o, start, end),
            check_churn,
        ),
        ("cohort_retention", "retention/cohort_retention", {}, lambda: pandas_cohorts(o, start, end), check_cohorts),
        (
            "channel_conversion",
            "acquisition/channel_conversion",
            {},
            lambda: pandas_channel_conversion(ld, o, frames["ad_spend"], start, end),
            check_conversion,
        ),
        ("nps_monthly", "advocacy/nps_monthly", {}, lambda: pandas_nps(n, start, end), check_nps),
        (
            "quadrant_looks",
            "investment/customer_looks",
            {},
            lambda: pandas_looks(o, c, frames["interactions"], n, frames["referrals"], end),
            check_looks,
        ),
    ]
    for label, query, extra, pandas_fn, check in specs:
        params = {"start": start, "end": end, **extra}
        # Ours from the canonical tables up, as pandas starts (inline: no block kept from an earlier query), into
        # a table of the result store; both sides at least `repeat` runs (3 for pandas), more while under a second.
        ours_t, table = _timed(lambda q=query, p=params: store.compute(q, p, inline=True), repeat, 1.0)
        ours = con.execute(f"SELECT * FROM {table}").df()
        theirs_t, theirs = _timed(pandas_fn, max(1, min(repeat, 3)), 1.0)
        ratio = statistics.median(theirs_t) / statistics.median(ours_t)
        same = bool(check(ours, theirs))
        cases.append(
            {
                "metric": label,
                "ours_median_s": round(statistics.median(ours_t), 4),
                "pandas_median_s": round(statistics.median(theirs_t), 4),
                "speedup": round(ratio, 1),
                "same_numbers": same,
            }
        )
        print(
            f"baseline {label:26} ours {cases[-1]['ours_median_s']:7.3f} s  pandas "
            f"{cases[-1]['pandas_median_s']:7.3f} s  x{ratio:5.1f}  same={same}",
            flush=True,
        )
    return cases


def main(args) -> int:
    """Run the benchmark with the parsed command-line ``args`` (customers, repeat, out, skip_pages)."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    folder = prepare_data(out, args.customers)
    ws_path = out / f"bench-{args.customers}.duckdb"
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        },
        "customers": args.customers,
        "repeat": args.repeat,
        "ran_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    if args.skip_ingest and ws_path.exists():
        report["ingest"] = []  # the workspace of an earlier run is reused: nothing was loaded
    else:
        report["ingest"] = bench_ingest(folder, ws_path)
    ws = Workspace(ws_path)
    report["queries"] = bench_queries(ws, args.repeat)
    report["baseline"] = bench_baseline(ws, args.repeat)
    ws.close()
    if not args.skip_pages:
        report["pages"] = bench_pages(ws_path, args.repeat)
    path = out / f"bench-{args.customers}.json"
    path.write_text(json.dumps(report, indent=1, default=str))
    (out / f"bench-{args.customers}.md").write_text(markdown(report))
    print(f"\nwritten {path} and {path.with_suffix('.md')}")
    return 0


TARGETS = {
    "ingest_s": 60,
    "ingest_mb": 4096,
    "query_s": 1.0,
    "filtered_s": 0.3,
    "warm_page_s": 1.5,
    "cold_page_s": 4.0,
    "speedup": 5.0,
}


def markdown(report: dict) -> str:
    """The report as Markdown tables (for the README's Performance section), each figure against its target."""
    m = report["machine"]

    def mark(ok: bool) -> str:
        return "✓" if ok else "✗"

    lines = [
        f"{report['customers']:,} customers, run {report['ran_at']} on {m['cpus']} cores / {m['memory_gb']} GB, "
        f"Python {m['python']} ({m['platform']}); median of {report['repeat']} warm runs.",
        "",
        "Queries are computed as the app computes them, into a table of the result store (dashboard/results.py) "
        "reading the shared blocks kept there; shared and building blocks (scope/ and customer_scores: only ever "
        "read by other queries) are counted, the rest fetched as DataFrames. "
        "In the pandas comparison both sides repeat a fast call until its runs add up to a second (median).",
        "",
        "Every load ends by storing the Overview's results for the default filters (dashboard/results.py): the load "
        "times include that step, the queries below are always computed again (never read back), and the pages "
        "render as the app serves them, stored results included.",
        "",
        "| load (real load path, CSV) | rows | seconds | rows/s | peak memory |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in report["ingest"]:
        ok = r["table"] != "orders" or (r["seconds"] < TARGETS["ingest_s"] and r["peak_rss_mb"] < TARGETS["ingest_mb"])
        lines.append(
            f"| {r['table']} | {r['rows']:,} | {r['seconds']} {mark(ok)} | {r['rows_per_second']:,} | "
            f"{r['peak_rss_mb']:,} MB |"
        )
    lines += [
        "",
        "| query | fetched as | median (s) | max (s) | one region, 3 months: median (s) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in report["queries"]:
        lines.append(
            f"| {r['query']} | {r.get('fetched_as', 'frame')} | "
            f"{r['median_s']} {mark(r['median_s'] < TARGETS['query_s'])} | {r['max_s']} | "
            f"{r['filtered_median_s']} {mark(r['filtered_median_s'] < TARGETS['filtered_s'])} |"
        )
    lines += [
        "",
        "| core metric | ours (s) | pandas (s) | speed-up | same numbers |",
        "| --- | ---: | ---: | ---: | :-: |",
    ]
    for r in report["baseline"]:
        lines.append(
            f"| {r['metric']} | {r['ours_median_s']} | {r['pandas_median_s']} | "
            f"{r['speedup']}× {mark(r['speedup'] >= TARGETS['speedup'])} | {mark(r['same_numbers'])} |"
        )
    if report.get("pages"):
        lines += ["", "| page (server-side, AppTest) | cold (s) | warm (s) |", "| --- | ---: | ---: |"]
        for r in report["pages"]:
            lines.append(
                f"| {r['page']} | {r['cold_s']} {mark(r['cold_s'] < TARGETS['cold_page_s'])} | "
                f"{r['warm_median_s']} {mark(r['warm_median_s'] < TARGETS['warm_page_s'])} |"
            )
    return "\n".join(lines) + "\n"
