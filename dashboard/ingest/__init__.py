"""Ingestion: readers, column mapping, per-column parsing and the atomic load into the workspace."""

from .load import LoadError, Prepared, commit, commit_many, prepare
from .mapping import guess_kind

__all__ = ["LoadError", "Prepared", "commit", "commit_many", "guess_kind", "prepare"]
