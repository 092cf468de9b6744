"""OpenFisca's float32 amounts as Decimal euros, to the cent.

Each value becomes the shortest decimal that reads back as the same float32 (so 123.545, stored
as 123.54499816..., is read 123.545), then is rounded to the cent, half up. float32 carries about
7 significant digits: exact to the cent for amounts below 10 000 €, far above any monthly benefit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np

CENT = Decimal("0.01")


@lru_cache(maxsize=1 << 16)
def _cents_of(value: float) -> Decimal:
    shortest = np.format_float_positional(np.float32(value), unique=True, trim="-")
    return Decimal(shortest).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: float) -> Decimal:
    return _cents_of(float(value))


def cents_list(array: np.ndarray) -> list[Decimal]:
    """Every amount of an array (amounts repeat a lot across households: cached)."""
    return [_cents_of(v) for v in np.asarray(array, dtype=np.float32).tolist()]
