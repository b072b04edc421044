"""The code passes ruff check (pycodestyle, pyflakes, bugbear, imports, docstrings) and is ruff-formatted."""

import shutil
import subprocess

import pytest

from dashboard.config import ROOT


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff comes with requirements-dev.txt")
def test_ruff_is_clean():
    r = subprocess.run(
        ["ruff", "check", "dashboard", "views", "app.py", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout
    r = subprocess.run(
        ["ruff", "format", "--check", "dashboard", "views", "app.py", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout
