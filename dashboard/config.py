"""Settings in one place: paths from this file, overrides from the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
SAMPLES_DIR = ROOT / "data" / "samples"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def workspace_path() -> Path:
    """Return the workspace database path: ``$CRI_WORKSPACE`` or ``data/workspace.duckdb``."""
    return Path(os.environ.get("CRI_WORKSPACE") or ROOT / "data" / "workspace.duckdb")


# DuckDB's working-memory cap (its default is 80% of RAM). Past it, large sorts and joins spill to a temporary
# folder beside the workspace instead of growing the process: a ten-million-row load stays within a laptop's
# memory. Raise it with CRI_MEMORY_LIMIT (e.g. "8GB") on a machine with memory to spare.
MEMORY_LIMIT = os.environ.get("CRI_MEMORY_LIMIT", "2GB")

# How long one query of a page may run before it is stopped with a message, in seconds (0: no limit). At ten million
# orders every page query takes under 1 s warm and the slowest page 1.6 s cold (README Performance): a query still
# running after a minute is stuck or asks for far more than a page shows, and it holds one of the two cores from
# every other session meanwhile.
QUERY_TIMEOUT = float(os.environ.get("CRI_QUERY_TIMEOUT", "60"))

# Currency symbol shown beside money; exports rarely say which currency they are in.
CURRENCY = os.environ.get("CRI_CURRENCY", "¥")

# Defaults of the metric definitions (DESIGN.md section 5).
CHURN_WINDOW_DAYS = 90
MIN_LEADS_FOR_SIGNIFICANCE = 30
# Rows of a rejected-rows report kept in memory for display; the file keeps all of them.
PREVIEW_ROWS = 20
