"""Deterministic demo data: realistic CRM exports for all eight tables, at any scale, vectorised with numpy.

The structure is known so pages and tests can be checked against it: channels differ in conversion rate, cost
and customer value; spend per customer is heavy-tailed; customers churn at rates tied to a latent satisfaction
that also drives NPS scores, complaints and referrals; customers buy across a few categories.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

END = np.datetime64("2026-10-31")
START = np.datetime64("2023-11-01")

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
    "Li Na",
    "Wang Wei",
    "Zhang Min",
    "Liu Yang",
    "Chen Jie",
    "Yang Fan",
    "Zhao Lei",
    "Huang Li",
    "Zhou Tao",
    "Wu Xia",
    "Xu Ming",
    "Sun Hui",
]
_NAME_A = ["Hua", "Sheng", "Heng", "Jin", "Dongfang", "Xin", "Tian", "Long", "Bai", "Rui", "Kai", "Ming"]
_NAME_B = ["Tech", "Trading", "Industrial", "Electronics", "Logistics", "Foods", "Retail", "Medical"]
DEMO_FILES = ["orders", "customers", "leads", "ad_spend", "nps", "referrals", "interactions", "tickets"]

# Export headers as real systems write them: orders come from a Chinese ERP, the rest from an English CRM.
ORDER_HEADERS = {
    "order_id": "订单编号",
    "customer_id": "客户编号",
    "order_date": "订单日期",
    "amount": "成交金额",
    "gross_margin": "毛利",
    "product": "产品",
    "category": "品类",
    "sales_channel": "销售渠道",
    "quantity": "数量",
}


def _days(rng, lo, hi):
    # Days in [lo, hi], both ends included.
    return lo + (rng.random(len(hi)) * ((hi - lo).astype("int64") + 1)).astype("timedelta64[D]")


def _ids(prefix: str, n: int, width: int = 7) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def generate(customers: int = 2000, seed: int = 7) -> dict[str, pa.Table]:
    """Return the eight demo exports as Arrow tables (text and numbers, headers as the exports name them).

    ``customers`` sets the scale (about 10 orders and 2 leads per customer); ``seed`` makes it reproducible.
    """
    rng = np.random.default_rng(seed)
    n = customers
    span = int((END - START).astype(int))
    ch_names = list(CHANNELS)
    ch = rng.choice(len(ch_names), n, p=[v[0] for v in CHANNELS.values()])
    ch_conv, ch_cpl, ch_value, ch_life = (np.array([v[i] for v in CHANNELS.values()]) for i in (1, 2, 3, 4))
    region = rng.choice(len(REGIONS[0]), n, p=REGIONS[1])
    seg = rng.choice(3, n, p=SEGMENTS[1])
    seg_value = np.array(SEGMENTS[2])[seg]
    satisfaction = rng.normal(0, 1, n)
    # Sign-ups grow over time: later days are likelier.
    created = START + (span * np.sqrt(rng.random(n)) * 0.97).astype("timedelta64[D]")
    created = np.sort(created)

    life_months = rng.exponential(30 * ch_life[ch] * np.exp(0.45 * satisfaction))
    churn_at = created + (life_months * 30.4).astype("timedelta64[D]")
    active_until = np.minimum(churn_at, END)
    months_active = np.maximum((active_until - created).astype(int), 0) / 30.4
    rate = rng.gamma(1.3, 1.05, n) * (0.6 + 0.2 * np.log1p(seg_value))
    ticket = rng.lognormal(np.log(600 * seg_value * ch_value[ch]), 0.9)
    n_orders = 1 + rng.poisson(rate * months_active)

    cust_ids = _ids("C", n)
    # Orders: the first on the sign-up day, the rest spread over the active life.
    cidx = np.repeat(np.arange(n), n_orders)
    first = np.r_[0, np.cumsum(n_orders)[:-1]]
    odate = _days(rng, created[cidx], np.maximum(active_until[cidx] - created[cidx], 1) + created[cidx])
    odate[first] = created
    m = len(cidx)
    breadth = rng.integers(1, 4, n) + (seg == 0)
    base_cat = rng.choice(5, n, p=[0.35, 0.25, 0.2, 0.1, 0.1])
    cat = (base_cat[cidx] + rng.integers(0, 64, m) % breadth[cidx]) % 5
    amount = np.round(ticket[cidx] * rng.lognormal(0, 0.45, m), 2)
    refund = rng.random(m) < 0.015
    amount[refund] = -np.round(amount[refund] * rng.uniform(0.2, 1.0, refund.sum()), 2)
    discounter = rng.random(n) < 0.04  # heavy discounters: the unprofitable tail of the whale curve
    margin_rate = MARGIN_RATE[cat] * rng.uniform(0.8, 1.2, m) - 0.75 * discounter[cidx]
    order_order = np.argsort(odate, kind="stable")
    orders = {
        "order_id": _ids("SO", m, 9),
        "customer_id": cust_ids[cidx][order_order],
        "order_date": odate[order_order].astype(str),
        "amount": amount[order_order],
        "gross_margin": np.round(amount * margin_rate, 2)[order_order],
        "product": np.char.add(np.array(CATEGORIES)[cat], np.array([" Basic", " Pro", " Plus"])[rng.integers(0, 3, m)])[
            order_order
        ],
        "category": np.array(CATEGORIES)[cat][order_order],
        "sales_channel": np.array(["Online", "Direct", "Distributor"])[rng.choice(3, m, p=[0.5, 0.3, 0.2])][
            order_order
        ],
        "quantity": rng.integers(1, 6, m)[order_order],
    }

    # Customers: wallets known for some (an estimate of yearly category spend), referrers for referral sign-ups.
    yearly = ticket * rate * 12
    wallet = np.where(rng.random(n) < 0.4, np.round(yearly * rng.uniform(1.1, 4.0, n), -2), np.nan)
    referred = ch_names.index("Referral") == ch
    cand = (rng.random((n, 3)) * np.arange(n)[:, None]).astype(int)
    referrer = cand[np.arange(n), np.argmax(satisfaction[cand], axis=1)]
    referred &= np.arange(n) > 0
    names = np.char.add(
        np.char.add(np.array(_NAME_A)[rng.integers(0, 12, n)], " "), np.array(_NAME_B)[rng.integers(0, 8, n)]
    )
    names = np.char.add(names, np.char.add(" Co. ", np.arange(1, n + 1).astype(str)))
    owner = np.array(OWNERS)[rng.integers(0, len(OWNERS), n)]
    customers_t = {
        "Customer ID": cust_ids,
        "Customer Name": names,
        "Region": np.array(REGIONS[0])[region],
        "Segment": np.array(SEGMENTS[0])[seg],
        "Created Date": created.astype(str),
        "Lead Source": np.array(ch_names)[ch],
        "Referred By": np.where(referred, cust_ids[referrer], ""),
        "Annual Budget": wallet,
        "Credit Rating": np.array(["AAA", "AA", "A", "BBB", "BB"])[rng.integers(0, 5, n)],
        "Account Owner": owner,
        "Phone": np.char.add("138", np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8)),
        "Email": np.char.add(np.char.lower(cust_ids), "@example.com"),
        "WeChat": np.char.add("wx_", np.char.lower(cust_ids)),
    }

    # Leads: a fifth of customers came through a tracked lead; unconverted leads match each channel's rate.
    tracked = rng.random(n) < 0.2
    conv_idx = np.flatnonzero(tracked)
    delay = rng.exponential(np.where(ch[conv_idx] == ch_names.index("Trade Show"), 45, 18)).astype(int)
    conv_created = created[conv_idx] - delay.astype("timedelta64[D]")
    lost_per_channel = np.round(np.bincount(ch[conv_idx], minlength=6) * (1 - ch_conv) / ch_conv).astype(int)
    lost_ch = np.repeat(np.arange(6), lost_per_channel)
    lost_created = START + (span * np.sqrt(rng.random(len(lost_ch)))).astype("timedelta64[D]")
    lead_ch = np.r_[ch[conv_idx], lost_ch]
    lead_created = np.r_[conv_created, lost_created]
    k = len(lead_ch)
    is_conv = np.r_[np.ones(len(conv_idx), bool), np.zeros(len(lost_ch), bool)]
    recent = lead_created > END - np.timedelta64(45, "D")
    stage = np.where(is_conv, "Won", np.where(recent, "Open", "Lost"))
    lead_order = np.argsort(lead_created, kind="stable")
    campaign = np.char.add(np.char.add(np.array(ch_names)[lead_ch], " #"), rng.integers(1, 4, k).astype(str))
    lead_customer = np.r_[cust_ids[conv_idx], np.full(len(lost_ch), "")]
    leads = {
        "Lead ID": _ids("L", k, 8),
        "Created Date": lead_created[lead_order].astype(str),
        "Lead Source": np.array(ch_names)[lead_ch][lead_order],
        "Campaign": campaign[lead_order],
        "Status": stage[lead_order],
        "Converted Date": np.r_[created[conv_idx].astype(str), np.full(len(lost_ch), "")][lead_order],
        "Customer ID": lead_customer[lead_order],
        "Lost Reason": np.where(
            stage == "Lost", np.array(["Price", "No budget", "Competitor", "No response"])[rng.integers(0, 4, k)], ""
        )[lead_order],
        "Owner": np.array(OWNERS)[rng.integers(0, len(OWNERS), k)][lead_order],
    }

    # Ad spend per month, channel and campaign: leads of the month x cost per lead, with noise.
    lead_month = lead_created.astype("datetime64[M]")
    months = np.arange(START.astype("datetime64[M]"), END.astype("datetime64[M]") + 1)
    counts = np.zeros((len(months), 6))
    np.add.at(counts, (lead_month - months[0]).astype(int), 0)
    np.add.at(counts, ((lead_month - months[0]).astype(int), lead_ch), 1)
    spend_rows = []
    for ci, name in enumerate(ch_names):
        if ch_cpl[ci] == 0:
            continue
        for c in (1, 2, 3):
            share = [0.5, 0.3, 0.2][c - 1]
            spend = np.round(counts[:, ci] * ch_cpl[ci] * share * rng.lognormal(0, 0.15, len(months)), 2)
            clicks = np.round(counts[:, ci] * share * rng.uniform(8, 15, len(months)))
            spend_rows.append(
                (
                    months.astype(str),
                    np.full(len(months), name),
                    np.full(len(months), f"{name} #{c}"),
                    spend,
                    clicks * rng.uniform(20, 40, len(months)).round(),
                    clicks,
                )
            )
    ad = {
        h: np.concatenate([r[i] for r in spend_rows])
        for i, h in enumerate(["Month", "Channel", "Campaign", "Spend", "Impressions", "Clicks"])
    }

    # NPS: a quarter of customers answer one to three surveys while active; scores follow satisfaction.
    responders = np.flatnonzero(rng.random(n) < 0.25)
    reps = rng.integers(1, 4, len(responders))
    ridx = np.repeat(responders, reps)
    rdate = _days(rng, created[ridx], np.maximum(active_until[ridx] - created[ridx], 1) + created[ridx])
    score = np.clip(np.round(8.0 + 1.8 * satisfaction[ridx] + rng.normal(0, 1.2, len(ridx))), 0, 10).astype(int)
    comments = np.array(
        [
            "",
            "Great service",
            "Too expensive",
            "Slow delivery",
            "Very helpful team",
            "Product quality issues",
            "价格偏高",
            "服务很好",
            "物流太慢",
        ]
    )
    comment = np.where(
        score <= 6,
        comments[rng.choice([2, 3, 5, 6, 8], len(ridx))],
        np.where(score >= 9, comments[rng.choice([0, 1, 4, 7], len(ridx))], ""),
    )
    nps = {
        "Response ID": _ids("R", len(ridx), 8),
        "Customer ID": cust_ids[ridx],
        "Response Date": rdate.astype(str),
        "Score": score,
        "Comment": comment,
        "Touchpoint": np.array(["Onboarding", "Support", "Purchase", "Quarterly survey"])[
            rng.integers(0, 4, len(ridx))
        ],
    }

    ref_idx = np.flatnonzero(referred)
    referrals = {
        "Referrer ID": cust_ids[referrer[ref_idx]],
        "Referral Date": created[ref_idx].astype(str),
        "Referred Customer ID": cust_ids[ref_idx],
    }

    n_int = rng.poisson(0.5 * months_active * (1 + (seg == 0)))
    iidx = np.repeat(np.arange(n), n_int)
    idate = _days(rng, created[iidx], np.maximum(active_until[iidx] - created[iidx], 1) + created[iidx])
    interactions = {
        "Customer ID": cust_ids[iidx],
        "Date": idate.astype(str),
        "Type": np.array(["call", "email", "visit", "wechat", "meeting"])[rng.integers(0, 5, len(iidx))],
        "Direction": np.array(["outbound", "inbound"])[rng.integers(0, 2, len(iidx))],
        "Owner": owner[iidx],
    }

    has_ticket = rng.random(n) < 0.12 + 0.1 * (satisfaction < -0.5)
    tidx = np.repeat(np.flatnonzero(has_ticket), rng.integers(1, 3, has_ticket.sum()))
    topen = _days(rng, created[tidx], np.maximum(active_until[tidx] - created[tidx], 1) + created[tidx])
    resolved = rng.random(len(tidx)) < 0.7 + 0.15 * (satisfaction[tidx] > 0)
    tresolved = topen + rng.exponential(4, len(tidx)).astype(int).astype("timedelta64[D]")
    tickets = {
        "Ticket ID": _ids("T", len(tidx), 7),
        "Customer ID": cust_ids[tidx],
        "Opened At": topen.astype(str),
        "Resolved At": np.where(resolved, tresolved.astype(str), ""),
        "Type": np.array(["complaint", "question", "repair"])[rng.choice(3, len(tidx), p=[0.45, 0.35, 0.2])],
        "Satisfaction": np.where(resolved, rng.integers(1, 6, len(tidx)), 0),
    }

    orders = {ORDER_HEADERS[k]: v for k, v in orders.items()}
    raw = {
        "orders": orders,
        "customers": customers_t,
        "leads": leads,
        "ad_spend": ad,
        "nps": nps,
        "referrals": referrals,
        "interactions": interactions,
        "tickets": tickets,
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
    for name in DEMO_FILES:
        path = samples / f"{name}.csv"
        if path.exists():
            prepared = prepare(ws, path, path.name, kind=name)
            try:
                commit(ws, prepared, mode="demo")
            finally:
                prepared.discard()
    ws.set_state("demo", "1")
