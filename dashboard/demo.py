"""Deterministic demo data: realistic CRM exports for all eight tables, at any scale, vectorised with numpy.

The structure is known so pages and tests can be checked against it: channels differ in conversion rate, cost
and customer value; spend per customer is heavy-tailed; customers churn at rates tied to a latent satisfaction
that also drives NPS scores, complaints and referrals; customers buy across a few categories.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .schema import TABLE_NAMES

END = np.datetime64("2026-10-31")
START = np.datetime64("2023-11-01")
SPAN = int((END - START).astype(int))

# name: (share of customers, lead conversion, cost per lead, value multiplier, lifetime multiplier)
CHANNELS = {
    "Search Ads": (0.24, 0.08, 120.0, 1.0, 0.9),
    "Social Media": (0.20, 0.04, 55.0, 0.7, 0.7),
    "Referral": (0.14, 0.30, 0.0, 1.3, 1.4),
    "Trade Show": (0.10, 0.15, 900.0, 2.2, 1.2),
    "Content SEO": (0.17, 0.06, 35.0, 0.9, 1.0),
    "Outbound Sales": (0.15, 0.11, 320.0, 1.6, 1.0),
}
REGIONS = (["East", "North", "South", "West", "Central"], [0.32, 0.22, 0.24, 0.10, 0.12])
SEGMENTS = (["Enterprise", "SMB", "Consumer"], [0.08, 0.37, 0.55], [6.0, 1.6, 0.45])
CATEGORIES = ["Software", "Hardware", "Services", "Training", "Support"]
MARGIN_RATE = np.array([0.78, 0.22, 0.42, 0.60, 0.68])
OWNERS = [
    "Li Na", "Wang Wei", "Zhang Min", "Liu Yang", "Chen Jie", "Yang Fan",
    "Zhao Lei", "Huang Li", "Zhou Tao", "Wu Xia", "Xu Ming", "Sun Hui",
]  # fmt: skip
_NAME_A = ["Hua", "Sheng", "Heng", "Jin", "Dongfang", "Xin", "Tian", "Long", "Bai", "Rui", "Kai", "Ming"]
_NAME_B = ["Tech", "Trading", "Industrial", "Electronics", "Logistics", "Foods", "Retail", "Medical"]

# Export headers as real systems write them: orders come from a Chinese ERP, the rest from an English CRM.
ORDER_HEADERS = {
    "order_id": "订单编号", "customer_id": "客户编号", "order_date": "订单日期", "amount": "成交金额",
    "gross_margin": "毛利", "product": "产品", "category": "品类", "sales_channel": "销售渠道", "quantity": "数量",
}  # fmt: skip


def _days(rng, lo, hi):
    # Days in [lo, hi], both ends included.
    return lo + (rng.random(len(hi)) * ((hi - lo).astype("int64") + 1)).astype("timedelta64[D]")


def _while_active(rng, pop, idx):
    # A day in the active life of each customer in idx; a customer who left on the day of sign-up gets two days.
    created = pop.created[idx]
    return _days(rng, created, np.maximum(pop.active_until[idx] - created, 1) + created)


def _ids(prefix: str, n: int, width: int = 7) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def _population(rng, n: int) -> SimpleNamespace:
    """The customers behind every table: channel, region, segment, latent satisfaction, active life and spend."""
    pop = SimpleNamespace(n=n, ids=_ids("C", n))
    pop.ch = rng.choice(len(CHANNELS), n, p=[v[0] for v in CHANNELS.values()])
    ch_value, ch_life = (np.array([v[i] for v in CHANNELS.values()]) for i in (3, 4))
    pop.region = rng.choice(len(REGIONS[0]), n, p=REGIONS[1])
    pop.seg = rng.choice(3, n, p=SEGMENTS[1])
    seg_value = np.array(SEGMENTS[2])[pop.seg]
    pop.satisfaction = rng.normal(0, 1, n)
    # Sign-ups grow over time: later days are likelier.
    pop.created = np.sort(START + (SPAN * np.sqrt(rng.random(n)) * 0.97).astype("timedelta64[D]"))
    life_months = rng.exponential(30 * ch_life[pop.ch] * np.exp(0.45 * pop.satisfaction))
    pop.active_until = np.minimum(pop.created + (life_months * 30.4).astype("timedelta64[D]"), END)
    pop.months_active = np.maximum((pop.active_until - pop.created).astype(int), 0) / 30.4
    pop.rate = rng.gamma(1.3, 1.05, n) * (0.6 + 0.2 * np.log1p(seg_value))
    pop.ticket = rng.lognormal(np.log(600 * seg_value * ch_value[pop.ch]), 0.9)
    pop.n_orders = 1 + rng.poisson(pop.rate * pop.months_active)
    return pop


def _orders(rng, pop: SimpleNamespace) -> dict[str, np.ndarray]:
    """Orders by date: the first on the sign-up day, the rest spread over the active life."""
    n = pop.n
    cidx = np.repeat(np.arange(n), pop.n_orders)
    odate = _while_active(rng, pop, cidx)
    odate[np.r_[0, np.cumsum(pop.n_orders)[:-1]]] = pop.created
    m = len(cidx)
    breadth = rng.integers(1, 4, n) + (pop.seg == 0)
    base_cat = rng.choice(5, n, p=[0.35, 0.25, 0.2, 0.1, 0.1])
    cat = (base_cat[cidx] + rng.integers(0, 64, m) % breadth[cidx]) % 5
    amount = np.round(pop.ticket[cidx] * rng.lognormal(0, 0.45, m), 2)
    refund = rng.random(m) < 0.015
    amount[refund] = -np.round(amount[refund] * rng.uniform(0.2, 1.0, refund.sum()), 2)
    discounter = rng.random(n) < 0.04  # heavy discounters: the unprofitable tail of the whale curve
    margin_rate = MARGIN_RATE[cat] * rng.uniform(0.8, 1.2, m) - 0.75 * discounter[cidx]
    cols = {
        "customer_id": pop.ids[cidx],
        "order_date": odate.astype(str),
        "amount": amount,
        "gross_margin": np.round(amount * margin_rate, 2),
        "product": np.char.add(np.array(CATEGORIES)[cat], np.array([" Basic", " Pro", " Plus"])[rng.integers(0, 3, m)]),
        "category": np.array(CATEGORIES)[cat],
        "sales_channel": np.array(["Online", "Direct", "Distributor"])[rng.choice(3, m, p=[0.5, 0.3, 0.2])],
        "quantity": rng.integers(1, 6, m),
    }
    by_date = np.argsort(odate, kind="stable")
    return {ORDER_HEADERS["order_id"]: _ids("SO", m, 9)} | {ORDER_HEADERS[k]: v[by_date] for k, v in cols.items()}


def _customers(rng, pop: SimpleNamespace) -> dict[str, np.ndarray]:
    """Customers: wallets known for some (an estimate of yearly category spend), referrers for referral sign-ups."""
    n, ids = pop.n, pop.ids
    wallet = np.where(rng.random(n) < 0.4, np.round(pop.ticket * pop.rate * 12 * rng.uniform(1.1, 4.0, n), -2), np.nan)
    # Satisfied customers refer: the referrer is the most satisfied of three earlier sign-ups.
    cand = (rng.random((n, 3)) * np.arange(n)[:, None]).astype(int)
    referrer = cand[np.arange(n), np.argmax(pop.satisfaction[cand], axis=1)]
    referred = (list(CHANNELS).index("Referral") == pop.ch) & (np.arange(n) > 0)
    names = np.char.add(
        np.char.add(np.array(_NAME_A)[rng.integers(0, 12, n)], " "), np.array(_NAME_B)[rng.integers(0, 8, n)]
    )
    owner = np.array(OWNERS)[rng.integers(0, len(OWNERS), n)]
    return {
        "Customer ID": ids,
        "Customer Name": np.char.add(names, np.char.add(" Co. ", np.arange(1, n + 1).astype(str))),
        "Region": np.array(REGIONS[0])[pop.region],
        "Segment": np.array(SEGMENTS[0])[pop.seg],
        "Created Date": pop.created.astype(str),
        "Lead Source": np.array(list(CHANNELS))[pop.ch],
        "Referred By": np.where(referred, ids[referrer], ""),
        "Annual Budget": wallet,
        "Credit Rating": np.array(["AAA", "AA", "A", "BBB", "BB"])[rng.integers(0, 5, n)],
        "Account Owner": owner,
        "Phone": np.char.add("138", np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8)),
        "Email": np.char.add(np.char.lower(ids), "@example.com"),
        "WeChat": np.char.add("wx_", np.char.lower(ids)),
    }


def _leads(rng, pop: SimpleNamespace) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Leads, with each lead's channel index and creation date (what ad spend is drawn from).

    A fifth of customers came through a tracked lead; unconverted leads match each channel's rate.
    """
    ch_names = list(CHANNELS)
    ch_conv = np.array([v[1] for v in CHANNELS.values()])
    conv_idx = np.flatnonzero(rng.random(pop.n) < 0.2)
    delay = rng.exponential(np.where(pop.ch[conv_idx] == ch_names.index("Trade Show"), 45, 18)).astype(int)
    lost_per_channel = np.round(np.bincount(pop.ch[conv_idx], minlength=6) * (1 - ch_conv) / ch_conv).astype(int)
    lost_ch = np.repeat(np.arange(6), lost_per_channel)
    lost_created = START + (SPAN * np.sqrt(rng.random(len(lost_ch)))).astype("timedelta64[D]")
    lead_ch = np.r_[pop.ch[conv_idx], lost_ch]
    lead_created = np.r_[pop.created[conv_idx] - delay.astype("timedelta64[D]"), lost_created]
    k = len(lead_ch)
    is_conv = np.r_[np.ones(len(conv_idx), bool), np.zeros(len(lost_ch), bool)]
    stage = np.where(is_conv, "Won", np.where(lead_created > END - np.timedelta64(45, "D"), "Open", "Lost"))
    campaign = np.char.add(np.char.add(np.array(ch_names)[lead_ch], " #"), rng.integers(1, 4, k).astype(str))
    no_customer = np.full(len(lost_ch), "")
    cols = {
        "Created Date": lead_created.astype(str),
        "Lead Source": np.array(ch_names)[lead_ch],
        "Campaign": campaign,
        "Status": stage,
        "Converted Date": np.r_[pop.created[conv_idx].astype(str), no_customer],
        "Customer ID": np.r_[pop.ids[conv_idx], no_customer],
        "Lost Reason": np.where(
            stage == "Lost", np.array(["Price", "No budget", "Competitor", "No response"])[rng.integers(0, 4, k)], ""
        ),
        "Owner": np.array(OWNERS)[rng.integers(0, len(OWNERS), k)],
    }
    by_date = np.argsort(lead_created, kind="stable")
    return {"Lead ID": _ids("L", k, 8)} | {h: v[by_date] for h, v in cols.items()}, lead_ch, lead_created


def _ad_spend(rng, lead_ch: np.ndarray, lead_created: np.ndarray) -> dict[str, np.ndarray]:
    """Ad spend per month, channel and campaign: leads of the month x cost per lead, with noise."""
    months = np.arange(START.astype("datetime64[M]"), END.astype("datetime64[M]") + 1)
    counts = np.zeros((len(months), 6))
    np.add.at(counts, ((lead_created.astype("datetime64[M]") - months[0]).astype(int), lead_ch), 1)
    spend_rows = []
    for ci, name in enumerate(CHANNELS):
        cpl = CHANNELS[name][2]
        if cpl == 0:
            continue
        for c, share in enumerate([0.5, 0.3, 0.2], 1):
            spend = np.round(counts[:, ci] * cpl * share * rng.lognormal(0, 0.15, len(months)), 2)
            clicks = np.round(counts[:, ci] * share * rng.uniform(8, 15, len(months)))
            impressions = clicks * rng.uniform(20, 40, len(months)).round()
            labels = (months.astype(str), np.full(len(months), name), np.full(len(months), f"{name} #{c}"))
            spend_rows.append((*labels, spend, impressions, clicks))
    headers = ["Month", "Channel", "Campaign", "Spend", "Impressions", "Clicks"]
    return dict(zip(headers, map(np.concatenate, zip(*spend_rows, strict=True)), strict=True))


def _nps(rng, pop: SimpleNamespace) -> dict[str, np.ndarray]:
    """NPS: a quarter of customers answer one to three surveys while active; scores follow satisfaction."""
    responders = np.flatnonzero(rng.random(pop.n) < 0.25)
    ridx = np.repeat(responders, rng.integers(1, 4, len(responders)))
    rdate, k = _while_active(rng, pop, ridx), len(ridx)
    score = np.clip(np.round(8.0 + 1.8 * pop.satisfaction[ridx] + rng.normal(0, 1.2, k)), 0, 10).astype(int)
    low = np.array(["Too expensive", "Slow delivery", "Product quality issues", "价格偏高", "物流太慢"])
    high = np.array(["", "Great service", "Very helpful team", "服务很好"])
    # Detractors complain, promoters praise (or say nothing), passives leave no comment.
    comment = np.where(score <= 6, rng.choice(low, k), np.where(score >= 9, rng.choice(high, k), ""))
    return {
        "Response ID": _ids("R", k, 8),
        "Customer ID": pop.ids[ridx],
        "Response Date": rdate.astype(str),
        "Score": score,
        "Comment": comment,
        "Touchpoint": np.array(["Onboarding", "Support", "Purchase", "Quarterly survey"])[rng.integers(0, 4, k)],
    }


def _referrals(customers: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Referrals: one row per referred customer, dated at the sign-up."""
    ref = np.flatnonzero(customers["Referred By"] != "")
    return {
        "Referrer ID": customers["Referred By"][ref],
        "Referral Date": customers["Created Date"][ref],
        "Referred Customer ID": customers["Customer ID"][ref],
    }


def _interactions(rng, pop: SimpleNamespace, owner: np.ndarray) -> dict[str, np.ndarray]:
    """Interactions with each customer's account owner while active; enterprise accounts get twice as many."""
    iidx = np.repeat(np.arange(pop.n), rng.poisson(0.5 * pop.months_active * (1 + (pop.seg == 0))))
    idate = _while_active(rng, pop, iidx)
    return {
        "Customer ID": pop.ids[iidx],
        "Date": idate.astype(str),
        "Type": np.array(["call", "email", "visit", "wechat", "meeting"])[rng.integers(0, 5, len(iidx))],
        "Direction": np.array(["outbound", "inbound"])[rng.integers(0, 2, len(iidx))],
        "Owner": owner[iidx],
    }


def _tickets(rng, pop: SimpleNamespace) -> dict[str, np.ndarray]:
    """Support tickets: unhappy customers open more, happy ones see more of theirs resolved."""
    has_ticket = rng.random(pop.n) < 0.12 + 0.1 * (pop.satisfaction < -0.5)
    tidx = np.repeat(np.flatnonzero(has_ticket), rng.integers(1, 3, has_ticket.sum()))
    topen = _while_active(rng, pop, tidx)
    resolved = rng.random(len(tidx)) < 0.7 + 0.15 * (pop.satisfaction[tidx] > 0)
    tresolved = topen + rng.exponential(4, len(tidx)).astype(int).astype("timedelta64[D]")
    return {
        "Ticket ID": _ids("T", len(tidx), 7),
        "Customer ID": pop.ids[tidx],
        "Opened At": topen.astype(str),
        "Resolved At": np.where(resolved, tresolved.astype(str), ""),
        "Type": np.array(["complaint", "question", "repair"])[rng.choice(3, len(tidx), p=[0.45, 0.35, 0.2])],
        "Satisfaction": np.where(resolved, rng.integers(1, 6, len(tidx)), 0),
    }


def generate(customers: int = 2000, seed: int = 7) -> dict[str, pa.Table]:
    """Return the eight demo exports as Arrow tables (text and numbers, headers as the exports name them).

    ``customers`` sets the scale (about 10 orders and 2 leads per customer); ``seed`` makes it reproducible.
    """
    rng = np.random.default_rng(seed)
    # The tables take turns drawing from one generator: a seed gives the same data only while this order holds.
    pop = _population(rng, customers)
    orders = _orders(rng, pop)
    customers_t = _customers(rng, pop)
    leads, lead_ch, lead_created = _leads(rng, pop)
    raw = {
        "orders": orders,
        "customers": customers_t,
        "leads": leads,
        "ad_spend": _ad_spend(rng, lead_ch, lead_created),
        "nps": _nps(rng, pop),
        "referrals": _referrals(customers_t),
        "interactions": _interactions(rng, pop, customers_t["Account Owner"]),
        "tickets": _tickets(rng, pop),
    }
    # from_pandas: a NaN (an unknown wallet) is a missing value, written as an empty cell, not as the text "nan".
    return {name: pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()}) for name, cols in raw.items()}


def write_exports(out: Path, customers: int = 2000, seed: int = 7) -> dict[str, Path]:
    """Write the demo exports as CSV files ``<out>/<table>.csv`` and return their paths by table name."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in generate(customers, seed).items():
        paths[name] = out / f"{name}.csv"
        pacsv.write_csv(table, paths[name])
    return paths


def build_demo_workspace(ws, samples: Path | None = None) -> None:
    """Load the sample exports into ``ws`` through the real load path and mark the workspace as demo data.

    A command per file, as an analyst loading them would: each table's load can be undone on its own.
    """
    from .config import SAMPLES_DIR
    from .ingest import commit, prepare

    samples = Path(samples or SAMPLES_DIR)
    for name in TABLE_NAMES:
        path = samples / f"{name}.csv"
        if path.exists():
            prepared = prepare(ws, path, path.name, kind=name)
            try:
                commit(ws, prepared, mode="demo")
            finally:
                prepared.discard()
    ws.set_state("demo", "1")
