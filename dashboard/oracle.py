"""The core metrics written the way an analyst would in a notebook: the benchmark's check of our numbers and times.

Plain pandas over the canonical tables fetched whole, with the definitions of the query each stands beside but no
SQL shared with it, so agreeing numbers mean something. :data:`CASES` pairs each with its query and the check that
the two agree; dashboard/bench.py runs them and times both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd


def pandas_frames(con) -> dict[str, pd.DataFrame]:
    """The canonical tables the metrics below read, fetched whole from the connection ``con``, by table name."""
    tables = ("orders", "customers", "leads", "nps", "ad_spend", "interactions", "referrals")
    return {t: con.execute(f"SELECT * FROM {t}").df() for t in tables}


def pandas_pareto(frames: dict, start, end) -> dict:
    """Top-20% share, customers for 80% and Gini of the orders from ``start`` to ``end``, as a dict."""
    o = frames["orders"][frames["orders"]["order_date"].between(pd.Timestamp(start), pd.Timestamp(end))]
    values = o.groupby("customer_id")["amount"].sum().astype(float).sort_values(ascending=False)
    n, total = len(values), values.sum()
    top = values.iloc[: int(np.ceil(0.2 * n))].sum() / total
    cum = values.cumsum() / total
    for_80 = int((cum < 0.8).sum() + 1)
    asc = np.sort(values.to_numpy())
    gini = 2 * np.sum(np.arange(1, n + 1) * asc) / (n * total) - (n + 1) / n
    return {"customers": n, "top20_share": top, "customers_for_80pct": for_80, "gini": gini}


def pandas_monthly_churn(frames: dict, start, end, window: int = 90) -> pd.DataFrame:
    """Customers active at the start of each month from ``start`` and those churned in it; one row a month."""
    orders = frames["orders"]
    o = orders[orders["order_date"] <= pd.Timestamp(end)][["customer_id", "order_date"]].drop_duplicates()
    o = o.sort_values(["customer_id", "order_date"])
    o["next"] = o.groupby("customer_id")["order_date"].shift(-1)
    o["churn"] = o["order_date"] + pd.Timedelta(days=window)
    as_of = o["order_date"].max()
    first = max(pd.Timestamp(start), o["order_date"].min())
    months = pd.date_range(first.to_period("M").to_timestamp(), as_of.to_period("M").to_timestamp(), freq="MS")
    rows = []
    for m in months:
        nxt = m + pd.offsets.MonthBegin(1)
        holds = (o["order_date"] <= m) & (o["next"].isna() | (o["next"] > m))
        active = holds & (o["churn"] > m)
        lapsed = o["next"].isna() | ((o["next"] - o["order_date"]).dt.days > window)
        churned = active & (o["churn"] <= nxt) & (o["churn"] <= as_of) & lapsed
        rows.append({"month": m, "active_start": int(active.sum()), "churned": int(churned.sum())})
    return pd.DataFrame(rows)


def pandas_cohorts(frames: dict, start, end) -> pd.DataFrame:
    """Customers by first-order month (from ``start``) active k months later: cohort, k, active_customers."""
    orders = frames["orders"]
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


def pandas_channel_conversion(frames: dict, start, end) -> pd.DataFrame:
    """Leads created from ``start`` to ``end``, conversions, days to convert, 365-day revenue and spend per channel."""
    leads, orders, ad_spend = frames["leads"], frames["orders"], frames["ad_spend"]
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


def pandas_nps(frames: dict, start, end) -> pd.DataFrame:
    """NPS of the answers from ``start`` to ``end`` per month: month, responses, nps."""
    nps = frames["nps"]
    day = nps["responded_at"].dt.normalize()
    d = nps[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))].copy()
    d["month"] = d["responded_at"].dt.to_period("M")
    g = d.groupby("month")["score"]
    return pd.DataFrame(
        {"responses": g.size(), "nps": 100 * (g.apply(lambda s: (s >= 9).mean()) - g.apply(lambda s: (s <= 6).mean()))}
    ).reset_index()


def pandas_looks(frames: dict, start, end, window_days: int = 90) -> pd.DataFrame:
    """The four investment looks of every customer (investment/customer_looks) as of ``end``.

    ``start`` is not read: the looks are as of the period's end, as ours. Returns one row per customer id with
    untapped, rank, cross_buy, engagement, engagement_rank and stage.
    """
    o = frames["orders"][frames["orders"]["order_date"] <= pd.Timestamp(end)]
    as_of = o["order_date"].max()
    # s0..s2: the three last 12 months; s6 and p6: the last 6 months and the 6 before, for the lifecycle stage.
    ago = {m: as_of - pd.DateOffset(months=m) for m in (6, 12, 24, 36)}
    windows = {"s0": (ago[12], as_of), "s1": (ago[24], ago[12]), "s2": (ago[36], ago[24])}
    windows |= {"s6": (ago[6], as_of), "p6": (ago[12], ago[6])}
    by_customer = o.groupby("customer_id")["order_date"]
    df = pd.DataFrame({"first": by_customer.min(), "last": by_customer.max()})
    for col, (lo, hi) in windows.items():
        w = o[(o["order_date"] > lo) & (o["order_date"] <= hi)]
        df[col] = w.groupby("customer_id")["amount"].sum().astype(float).reindex(df.index).fillna(0.0)
    df = df.join(frames["customers"].set_index("customer_id")[["segment", "wallet"]])
    df["untapped"] = _untapped_wallet(df)
    df["cross_buy"] = _cross_buy(df, o, as_of)
    df["engagement"] = _engagement(df.index, o, as_of, frames)
    for look, rank in (("untapped", "rank"), ("engagement", "engagement_rank")):
        df[rank] = (df[look].rank(method="min") - 1) / max(len(df) - 1, 1)
    df["stage"] = _lifecycle_stage(df, as_of, window_days)
    return df


def _untapped_wallet(df: pd.DataFrame) -> pd.Series:
    # The given wallet, else the best 12 months or the segment's median, less the last 12 months' spend.
    med = df[(df["s0"] > 0) & df["segment"].notna()].groupby("segment")["s0"].median()
    est = np.maximum(df[["s0", "s1", "s2"]].max(axis=1), df["segment"].map(med).fillna(0).astype(float))
    return np.maximum(df["wallet"].astype(float).fillna(est) - df["s0"], 0).round(6)


def _cross_buy(df: pd.DataFrame, o: pd.DataFrame, as_of) -> pd.Series:
    # The adoption-weighted share of the group's popular categories (>= 20% of its buyers in 24 months) not bought;
    # the group is the segment, or every customer for those without one.
    group = df["segment"].fillna("")
    bought = o.loc[(o["order_date"] > as_of - pd.DateOffset(months=24)) & o["category"].notna()]
    bought = bought[["customer_id", "category"]].drop_duplicates()
    bought["grp"] = bought["customer_id"].map(group)
    sizes = pd.concat([group[group != ""].value_counts(), pd.Series({"": len(df)})])
    overall = bought.groupby("category").size()
    overall.index = pd.MultiIndex.from_product([[""], overall.index], names=["grp", "category"])
    buyers = pd.concat([bought[bought["grp"] != ""].groupby(["grp", "category"]).size(), overall])
    popular = buyers[buyers / buyers.index.get_level_values("grp").map(sizes).to_numpy() >= 0.2]
    totals = group.map(popular.groupby(level="grp").sum())
    got = bought.join(popular.rename("b"), on=["grp", "category"]).groupby("customer_id")["b"].sum()
    return (totals - got.reindex(df.index).fillna(0)) / totals


def _engagement(index: pd.Index, o: pd.DataFrame, as_of, frames: dict) -> pd.Series:
    # Orders (distinct ids a day, plus lines without one), interactions, NPS answers and referrals made in the
    # last 90 days.
    recent = o[o["order_date"] > as_of - pd.Timedelta(days=90)]
    per_day = recent.groupby(["customer_id", "order_date"])["order_id"].nunique().groupby(level=0).sum()
    no_id = recent[recent["order_id"].isna()].groupby("customer_id").size()
    lo, hi = as_of - pd.Timedelta(days=89), as_of + pd.Timedelta(days=1)
    dated = (
        ("interactions", "occurred_at", "customer_id"),
        ("nps", "responded_at", "customer_id"),
        ("referrals", "referred_at", "referrer_id"),
    )
    events = [frames[t].loc[frames[t][at].between(lo, hi, inclusive="left"), who] for t, at, who in dated]
    events = pd.concat(events).value_counts()
    return sum(s.reindex(index).fillna(0) for s in (per_day, no_id, events)).astype("int64")


def _lifecycle_stage(df: pd.DataFrame, as_of, window_days: int) -> np.ndarray:
    # Spend compared in cents, so the 1.2x and 0.8x tests are exact as SQL's decimals.
    s6, p6 = (df["s6"] * 100).round(), (df["p6"] * 100).round()
    dormant, new = df["last"] <= as_of - pd.Timedelta(days=window_days), df["first"] > as_of - pd.Timedelta(days=90)
    growth, decline = (s6 > 0) & (10 * s6 >= 12 * p6), 10 * s6 < 8 * p6
    return np.select([dormant, new, growth, decline], ["dormant", "new", "growth", "decline"], "mature")


def _check_pareto(ours, theirs, con) -> bool:
    r = ours.iloc[0]
    return (
        abs(r.top20_share - theirs["top20_share"]) < 1e-9
        and abs(r.gini - theirs["gini"]) < 1e-9
        and int(r.customers_for_80pct) == theirs["customers_for_80pct"]
    )


def _check_churn(ours, theirs, con) -> bool:
    counts = ["active_start", "churned"]
    return ours[counts].reset_index(drop=True).equals(theirs[counts].astype("int64").reset_index(drop=True))


def _check_cohorts(ours, theirs, con) -> bool:
    a = ours[ours["active_customers"] > 0][["months_since", "active_customers"]].reset_index(drop=True)
    b = theirs.sort_values(["cohort", "k"])[["k", "active_customers"]].reset_index(drop=True)
    return len(a) == len(b) and (a["active_customers"].to_numpy() == b["active_customers"].to_numpy()).all()


def _check_conversion(ours, theirs, con) -> bool:
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


def _check_nps(ours, theirs, con) -> bool:
    return len(ours) == len(theirs) and np.allclose(ours["nps"].to_numpy(), theirs["nps"].to_numpy())


def _check_looks(ours, theirs, con) -> bool:
    # Ours is keyed by the workspace's customer key; theirs by the customer id.
    ids = con.execute("SELECT ck, customer_id FROM _customer_keys").df().set_index("ck")["customer_id"]
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


class Case(NamedTuple):
    """One core metric, as the benchmark times and compares it.

    ``label`` names it in the report; ``query`` is ours, computed with ``extra`` over the default period;
    ``pandas(frames, start, end)`` is the notebook's answer; ``check(ours, theirs, con)`` whether the two agree,
    ``ours`` being the query's table as a DataFrame and ``con`` the workspace connection.
    """

    label: str
    query: str
    extra: dict
    pandas: Callable
    check: Callable


CASES = (
    Case("pareto_summary", "concentration/pareto_summary", {"measure": "revenue"}, pandas_pareto, _check_pareto),
    Case("monthly_churn", "retention/monthly_churn", {"window_days": 90}, pandas_monthly_churn, _check_churn),
    Case("cohort_retention", "retention/cohort_retention", {}, pandas_cohorts, _check_cohorts),
    Case("channel_conversion", "acquisition/channel_conversion", {}, pandas_channel_conversion, _check_conversion),
    Case("nps_monthly", "advocacy/nps_monthly", {}, pandas_nps, _check_nps),
    Case("quadrant_looks", "investment/customer_looks", {}, pandas_looks, _check_looks),
)
