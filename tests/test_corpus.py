"""The corpus of tricky but honest exports (tests/corpus, issue 21): each loads exactly or is refused row by row.

Every file is loaded through the real load path into a workspace that already holds other rows; the loaded table
is compared cell by cell with the rows the corpus expects, the rejected rows with their expected reasons, and the
rows already loaded in the other tables must be untouched.
"""

import json
from pathlib import Path

import pytest

from dashboard.ingest import LoadError, commit, prepare
from dashboard.schema import TABLES
from tests.conftest import load

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
OTHER = {"orders": "customers", "customers": "orders"}
SEED = {
    "orders": "order_id,customer_id,order_date,amount\nP1,K1,2020-01-01,1\n",
    "customers": "customer_id,name\nK1,Kept\n",
}


def snapshot(ws):
    cur = ws.cursor()
    return {t: sorted(map(str, cur.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file_loads_exactly_or_is_reported(ws, name):
    spec = CASES[name]
    kind = spec.get("kind", "orders")
    load(ws, SEED[OTHER.get(kind, "orders")], kind=OTHER.get(kind, "orders"))
    before = snapshot(ws)
    path = CORPUS / name
    if "error" in spec:
        with pytest.raises(LoadError) as exc:
            prepare(ws, path, name)
        assert exc.value.code == spec["error"]
        assert snapshot(ws) == before
        return
    prepared = prepare(ws, path, name, kind=kind, mapping=spec.get("mapping"))
    errors = prepared.problems().query("severity == 'error'")
    assert sorted(zip(errors["row"].astype(int), errors["reason"], strict=True)) == sorted(map(tuple, spec["rejects"]))
    if "warnings" in spec:
        warned = prepared.problems().query("severity == 'warning'")
        got = sorted(zip(warned["row"].astype(int), warned["reason"], strict=True))
        assert got == sorted(map(tuple, spec["warnings"]))
    commit(ws, prepared)
    cols = ", ".join(f"{c}::VARCHAR" for c in spec["columns"])
    got = sorted(ws.cursor().execute(f"SELECT {cols} FROM {kind}").fetchall(), key=str)
    expected = sorted(map(tuple, spec["rows"]), key=str)
    assert got == expected
    after = snapshot(ws)
    assert {t: v for t, v in after.items() if t != kind} == {t: v for t, v in before.items() if t != kind}


def test_the_corpus_covers_every_family():
    families = {name.split("_")[0] for name in CASES}
    assert families == {"enc", "shape", "dec", "tz"}
    assert len(CASES) >= 30
