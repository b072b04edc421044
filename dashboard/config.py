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

# Currency symbol shown beside money; exports rarely say which currency they are in.
CURRENCY = os.environ.get("CRI_CURRENCY", "¥")

# Defaults of the metric definitions (DESIGN.md section 5).
CHURN_WINDOW_DAYS = 90
MIN_LEADS_FOR_SIGNIFICANCE = 30
# Rows of a rejected-rows report kept in memory for display; the file keeps all of them.
PREVIEW_ROWS = 20
