"""Recognise which canonical table a file holds and map its headers onto canonical fields."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..schema import TABLES, Table, normalize_header

# File-name words that hint at a kind ("订单导出.xlsx", "leads_2024.csv").
_NAME_HINTS = {
    "orders": ("order", "sales", "invoice", "transaction", "订单", "销售", "交易"),
    "customers": ("customer", "client", "account", "客户", "会员"),
    "leads": ("lead", "prospect", "opportunit", "线索", "商机"),
    "ad_spend": ("spend", "ads", "adcost", "marketing", "投放", "广告", "花费"),
    "nps": ("nps", "survey", "feedback", "问卷", "调研", "满意"),
    "referrals": ("referral", "推荐", "转介绍"),
    "interactions": ("interaction", "activit", "contact", "call", "互动", "跟进", "拜访"),
    "tickets": ("ticket", "complaint", "case", "support", "工单", "投诉", "售后"),
}


@dataclass
class Guess:
    """A kind and a mapping {source column: field name or None} with how well it fits."""

    kind: str
    mapping: dict[str, str | None]
    score: float
    missing: list[str]


def map_columns(headers: list[str], table: Table) -> dict[str, str | None]:
    """Map each source header to at most one field of ``table`` and each field to at most one header.

    Exact synonym matches win; then a header containing a synonym of four or more characters
    (``订单日期(下单)`` matches ``订单日期``). Fields are filled in schema order, required ones first.
    """
    norm = {h: normalize_header(h) for h in headers}
    mapping: dict[str, str | None] = {h: None for h in headers}
    ordered = sorted(table.fields, key=lambda f: not f.required)
    for exact in (True, False):
        for f in ordered:
            if f.name in mapping.values():
                continue
            for h in (h for h in headers if mapping[h] is None):
                n = norm[h]
                hit = n in f.synonyms if exact else any(len(s) >= 4 and s in n for s in f.synonyms)
                if hit:
                    mapping[h] = f.name
                    break
    return mapping


def guess_kind(headers: list[str], file_name: str = "", kind: str | None = None) -> Guess:
    """Return the best-fitting kind for a file's headers (or the mapping for ``kind`` when given).

    The score rewards the share and number of required fields found, optional fields found, and a file name that
    names the kind; the kind with the highest score among those with every required field wins, unless a kind
    with the highest score of all explains more of the file's columns: then that kind is returned, with the
    fields it misses.
    """
    stem = Path(file_name).stem.lower()
    guesses = []
    for name, table in TABLES.items():
        if kind and name != kind:
            continue
        mapping = map_columns(headers, table)
        found = {f for f in mapping.values() if f}
        required = table.required
        missing = [f for f in required if f not in found and not _derivable(f, found)]
        have = len(required) - len(missing)
        score = 10 * have / len(required) + 2 * have + 0.5 * len(found - set(required))
        score += 0.5 * len(found & set(table.signature))
        score += 3 * any(h in stem for h in _NAME_HINTS.get(name, ()))
        guesses.append(Guess(name, mapping, score, missing))
    complete = max(guesses, key=lambda g: (not g.missing, g.score))
    closest = max(guesses, key=lambda g: g.score)
    # A file that explains more columns as another kind, which it lacks a required field of (an orders export
    # without its amount), is that kind with a field missing: taking it for the complete kind it also fits
    # (customers: it has a customer id) would replace the wrong table.
    if closest.missing and _mapped(closest) > _mapped(complete):
        return closest
    return complete


def _mapped(guess: Guess) -> int:
    return sum(1 for f in guess.mapping.values() if f)


def _derivable(field: str, found: set[str]) -> bool:
    # An orders export with unit price and quantity but no line amount (e.g. the UCI Online Retail data).
    return field == "amount" and {"unit_price", "quantity"} <= found
