"""The control group of a campaign: a share of its target, drawn with a recorded seed, never
contacted (decision 0018). Pure: no Django.

Each household of the target gets a rank, a keyed hash of the campaign's seed and its numéro
allocataire; the control group is the `floor(share × N)` households of lowest rank. So the draw

- is reproducible from the seed alone: the same target and seed give the same group, on any
  machine, in any order, after a crash and a re-run;
- has an exact size, not a size that wanders with a coin per household;
- does not depend on anything the Caf knows of the household (the hash sees only the numéro),
  so the two groups differ by chance alone, which is what makes their comparison a measure of
  the contact's effect.

The key is the numéro allocataire, never a database id: ids differ between databases and
between a demo and its replay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

MAX_SHARE = Decimal("0.5")  # beyond half, the contacted group is the one that is too small


class ShareInvalid(ValueError):
    """The control share is not a fraction between 0 and one half."""


def rank(seed: int, key: str) -> int:
    """A household's place in the draw: 64 bits of BLAKE2b keyed by the seed."""
    digest = hashlib.blake2b(key.encode(), digest_size=8, key=str(seed).encode()).digest()
    return int.from_bytes(digest, "big")


def control_size(target_size: int, share: Decimal) -> int:
    if not Decimal(0) <= share <= MAX_SHARE:
        raise ShareInvalid("La part du groupe témoin doit être comprise entre 0 et 50 %.")
    return int((share * target_size).to_integral_value(rounding=ROUND_FLOOR))


def control_group(keys: Iterable[str], share: Decimal, seed: int) -> frozenset[str]:
    """The keys of the target drawn into the control group (a target's keys are distinct)."""
    distinct = set(keys)
    size = control_size(len(distinct), share)
    ranked = sorted(distinct, key=lambda key: (rank(seed, key), key))
    return frozenset(ranked[:size])
