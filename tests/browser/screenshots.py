"""Take a screenshot of every page in both languages: ``python -m tests.browser.screenshots [--out DIR]``.

Runs the real app on a copy of the demo workspace in headless Chromium; used to look at the product as a user
does and to refresh the README's picture. (Chinese text needs a CJK font, e.g. Debian's fonts-noto-cjk.)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from dashboard.demo import build_demo_workspace
from dashboard.workspace import Workspace
from tests.browser.server import browser_page, running_app, wait_for_app

PAGES = ["overview", "acquisition", "concentration", "retention", "advocacy", "investment", "customer", "data"]


def main() -> None:
    """Write ``<page>-<lang>.png`` for every page that exists into ``--out``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parents[2]
    pages = [p for p in args.pages if (root / "views" / f"{p}.py").exists()]
    with tempfile.TemporaryDirectory() as tmp:
        ws_path = Path(tmp) / "demo.duckdb"
        ws = Workspace(ws_path)
        build_demo_workspace(ws)
        ws.close()
        with running_app(ws_path) as url, browser_page(1440, args.height) as page:
            for lang in ("en", "zh"):
                for name in pages:
                    page.goto(f"{url}/{'' if name == 'overview' else name}?lang={lang}")
                    wait_for_app(page)
                    page.screenshot(path=str(out / f"{name}-{lang}.png"), full_page=True)
                    print(out / f"{name}-{lang}.png")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
