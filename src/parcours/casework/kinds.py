"""The catalogue of the kinds of work (data/kinds.yaml): label, delay, default team. Pure."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "kinds.yaml"


@dataclass(frozen=True)
class KindSpec:
    code: str
    label: str
    sla_days: int
    team: str


@functools.cache
def catalogue() -> dict[str, KindSpec]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {
        code: KindSpec(code, spec["label"], int(spec["sla_days"]), spec["team"]) for code, spec in raw.items()
    }


def label(code: str) -> str:
    spec = catalogue().get(code)
    return spec.label if spec else code
