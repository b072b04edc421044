"""The demo generator has the structure the pages are meant to reveal."""

import numpy as np
import pyarrow.compute as pc
import pytest

from dashboard.demo import CHANNELS, generate


@pytest.fixture(scope="module")
def demo():
    return generate(3000, seed=11)


def test_every_table_is_there(demo):
    assert {k: v.num_rows > 0 for k, v in demo.items()} == {k: True for k in demo}
    assert demo["customers"].num_rows == 3000
    assert 6 <= demo["orders"].num_rows / 3000 <= 14  # about ten orders per customer


def test_channels_convert_at_their_designed_rates(demo):
    leads = demo["leads"].to_pandas()
    rates = (leads["Status"] == "Won").groupby(leads["Lead Source"]).mean()
    for name, (_, conversion, *_rest) in CHANNELS.items():
        assert rates[name] == pytest.approx(conversion, abs=0.03), name
    assert rates.idxmax() == "Referral" and rates.idxmin() == "Social Media"


def test_spend_is_heavy_tailed_and_has_refunds(demo):
    orders = demo["orders"].to_pandas()
    totals = orders.groupby("客户编号")["成交金额"].sum().sort_values(ascending=False)
    top = totals.iloc[: int(np.ceil(0.2 * len(totals)))].sum() / totals.sum()
    assert top > 0.6
    assert (orders["成交金额"] < 0).mean() == pytest.approx(0.015, abs=0.005)


def test_nps_relates_to_referrals(demo):
    nps = demo["nps"].to_pandas()
    referrers = set(demo["referrals"].column("Referrer ID").to_pylist())
    mean_score = nps.groupby("Customer ID")["Score"].mean()
    assert mean_score[mean_score.index.isin(referrers)].mean() > mean_score[~mean_score.index.isin(referrers)].mean()


def test_deterministic(demo):
    again = generate(3000, seed=11)
    assert all(again[k].to_pandas().equals(v.to_pandas()) for k, v in demo.items())  # NaN wallets compare equal
    assert (
        pc.sum(generate(3000, seed=12)["orders"].column("成交金额")).as_py()
        != pc.sum(demo["orders"].column("成交金额")).as_py()
    )
