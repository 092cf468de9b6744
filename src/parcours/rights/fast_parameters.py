"""Parameters indexed by an array ("fancy indexing", e.g. `P.plafonds[zone_apl]`), per distinct key.

openfisca-core 44 resolves `node[keys]` with one Python lookup per entity: for a chunk of 4 000
households it was half of the whole computation (bench/results, "What bounds a chunk"). The same
result is obtained by looking up each *distinct* key once and spreading the values with numpy.

Scoped: only inside `with fast_parameters():` (parcours's own simulations); everywhere else —
the plain path of the benchmark and of the golden tests included — openfisca-core's own code runs.
Equal results are checked by tests/rights/test_fast_parameters.py and by every golden amount.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.parameters import ParameterNodeAtInstant, VectorialParameterNodeAtInstant

_ACTIVE: ContextVar[bool] = ContextVar("parcours_fast_parameters", default=False)
_ORIGINAL_BUILD = VectorialParameterNodeAtInstant.build_from_node_name
SMALL = 64  # entities below which the per-entity lookups are cheaper than numpy's unique


class DistinctVectorialNode(VectorialParameterNodeAtInstant):
    """A vectorial node kept as its distinct subnodes and, per entity, the index of its subnode."""

    def __init__(self, distinct: list, inverse: np.ndarray, name: str, instant_str: str) -> None:
        self._distinct = distinct
        self._inverse = inverse
        self._name = name
        self._instant_str = instant_str

    @property
    def vector(self):  # type: ignore[override]
        return [self._distinct[i] for i in self._inverse]

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        if isinstance(key, str):
            return _spread(self, [node[key] for node in self._distinct], self._inverse)
        if isinstance(key, EnumArray):
            key = np.asarray(key.possible_values.names)[np.asarray(key)]
        elif isinstance(key[0], Enum):
            key = np.array([k.name for k in key])
        values, codes = np.unique(np.asarray(key), return_inverse=True)
        pairs, inverse = np.unique(self._inverse * len(values) + codes.reshape(-1), return_inverse=True)
        nodes = [self._distinct[p // len(values)][values[p % len(values)]] for p in pairs.tolist()]
        return _spread(self, nodes, inverse.reshape(-1))


def _spread(node, distinct: list, inverse: np.ndarray):
    """What openfisca-core's build_from_nodes gives for `[distinct[i] for i in inverse]`."""
    if isinstance(distinct[0], ParameterNodeAtInstant):
        return DistinctVectorialNode(distinct, inverse, node._name, node._instant_str)
    return np.array(distinct)[inverse]


def _build_from_node_name(node, key):  # type: ignore[no-untyped-def]
    if not _ACTIVE.get():
        return _ORIGINAL_BUILD(node, key)
    VectorialParameterNodeAtInstant.check_node_vectorisable(node)
    keys = VectorialParameterNodeAtInstant._get_appropriate_keys(key)
    if getattr(keys, "dtype", None) is None or keys.dtype == object or len(keys) < SMALL:
        # Enum objects have no order, and a few keys are faster one by one: openfisca-core's way
        return _ORIGINAL_BUILD(node, key)
    values, inverse = np.unique(keys, return_inverse=True)
    subnode_key = VectorialParameterNodeAtInstant._get_appropriate_subnode_function(values[0])
    distinct = [node[subnode_key(node, value)] for value in values]
    return _spread(node, distinct, inverse.reshape(-1))


VectorialParameterNodeAtInstant.build_from_node_name = staticmethod(_build_from_node_name)  # type: ignore[method-assign]


@contextmanager
def fast_parameters() -> Iterator[None]:
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
