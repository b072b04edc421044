"""A workspace whose text fields hold markdown, HTML and formulas, loaded through the real load path.

The demo exports are copied with values replaced (a region, a segment, a channel, a campaign, a product, a category,
a touchpoint, an owner, a lost reason, comments, customer names and one customer id), then loaded as the demo is.
Every URL points at 127.0.0.2, which nothing serves: a test can tell any request to it from the app's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from dashboard.config import SAMPLES_DIR
from dashboard.workspace import Workspace

EVIL_HOST = "127.0.0.2"
IMAGE = f"![x](http://{EVIL_HOST}:9/t.png)"
LINK = f"[Session expired - click here](http://{EVIL_HOST}:9/phish)"
HTML = f'<img src="http://{EVIL_HOST}:9/h.png"><a href="http://{EVIL_HOST}:9/a">a</a>'
JS = "[js](javascript:alert(1)) <a href='javascript:alert(2)'>j</a>"
DIRECTIVES = ":red[red] :material/warning: :smile: $x^2$ **bold**"
BARE = f"http://{EVIL_HOST}:9/bare www.evil.example x@evil.example"
FORMULA = f'=HYPERLINK("http://{EVIL_HOST}:9/f","open")'
VALUES = [IMAGE, LINK, HTML, JS, DIRECTIVES, BARE, FORMULA]

# The customer whose profile the tests open: its id and name are hostile too.
CUSTOMER_ID = f"C1 {LINK}"
CUSTOMER_NAME = f"{IMAGE} {HTML}"
MISSING_ID = f"{LINK} {IMAGE}"  # an id no customer has, for ?id= in the link

# (file, column, sample value) -> hostile value, the same everywhere the sample value appears in that column.
REPLACE = {
    ("customers", "Region", "East"): IMAGE,
    ("customers", "Segment", "SMB"): LINK,
    ("customers", "Lead Source", "Trade Show"): HTML,
    ("leads", "Lead Source", "Trade Show"): HTML,
    ("ad_spend", "Channel", "Trade Show"): HTML,
    ("leads", "Campaign", "Trade Show #2"): JS,
    ("ad_spend", "Campaign", "Trade Show #2"): JS,
    ("orders", "产品", "Software Plus"): DIRECTIVES,
    ("orders", "品类", "Training"): BARE,
    ("nps", "Touchpoint", "Onboarding"): f"<b>bold</b> {LINK}",
    ("customers", "Account Owner", "Yang Fan"): FORMULA,
    ("leads", "Lost Reason", "Price"): LINK,
    ("customers", "Credit Rating", "BBB"): DIRECTIVES,
}


def write_hostile_exports(out: Path) -> Path:
    """Copy the demo exports to ``out`` with the hostile values put in; returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    first_id = pd.read_csv(SAMPLES_DIR / "customers.csv", dtype=str, nrows=1)["Customer ID"].iloc[0]
    for path in sorted(SAMPLES_DIR.glob("*.csv")):
        name = path.stem
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for (file, column, old), new in REPLACE.items():
            if file == name:
                df[column] = df[column].replace(old, new)
        if name == "customers":
            df.loc[1:40, "Customer Name"] = [VALUES[i % len(VALUES)] for i in range(40)]
            df.loc[df["Customer ID"] == first_id, ["Customer Name", "Segment", "Email"]] = [CUSTOMER_NAME, LINK, BARE]
        if name == "nps":
            df["Comment"] = [VALUES[i % len(VALUES)] for i in range(len(df))]
        # One customer id, everywhere it appears (orders, leads, answers, tickets, referrals, interactions).
        df = df.replace(first_id, CUSTOMER_ID)
        df.to_csv(out / path.name, index=False)
    return out


def build_hostile_workspace(path: Path) -> Path:
    """A workspace file at ``path`` loaded from the hostile exports through the demo's load path."""
    from dashboard.demo import build_demo_workspace

    exports = write_hostile_exports(path.parent / "hostile_exports")
    ws = Workspace(path)
    try:
        build_demo_workspace(ws, exports)
    finally:
        ws.close()
    shutil.rmtree(exports)
    return path
