"""Results computed in Python rather than SQL, registered under a name like a query file's.

A model is a function ``fn(get, **params) -> DataFrame`` whose only input is other results: ``get(name, **params)``
reads one through the result store (``inline=True`` for parameters no page asks for twice). The store keeps a model's
result as it keeps a query's, and serves it while none of the tables behind its ``uses`` has changed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from . import overview, retention

FILTERS = {"start": "DATE", "end": "DATE", "region": "VARCHAR[]", "segment": "VARCHAR[]", "channel": "VARCHAR[]"}


@dataclass(frozen=True)
class Model:
    """A named Python result: ``fn``, the parameters it takes (name -> SQL type) and the results it reads."""

    name: str
    fn: Callable
    params: dict
    uses: tuple[str, ...]

    @property
    def code(self) -> str:
        """The source of the module defining the function: what the store hashes to know a result is this code's.

        The whole module, since the function's helpers and constants count as much as its body.
        """
        return inspect.getsource(inspect.getmodule(self.fn))


MODELS = {
    m.name: m
    for m in (
        Model("overview/kpis", overview.kpis, FILTERS, overview.KPI_USES),
        Model("overview/quadrant_counts", overview.quadrant_counts, FILTERS, ("investment/quadrant_summary",)),
        Model(
            "retention/projection",
            retention.projection,
            {**FILTERS, "window_days": "INTEGER", "target_rate": "DOUBLE"},
            ("retention/active_base", "retention/churn_rate"),
        ),
    )
}
