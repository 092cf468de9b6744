"""The casework back-test (bench/backtest.py) on a small demo: its figures are proportions, its
ruptures are exactly the dossiers whose monthly benefit went from > 0 in M to 0 in M+1 (recomputed
here from the raw RightsRevision rows), and its priority list is the top 10 % of the dossiers
scored, in the score's order."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest

from bench import backtest
from parcours.households.models import Dossier
from parcours.rights.models import RecomputeRun, RightsRevision

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MONTH, FOLLOWING = date(2026, 10, 1), date(2026, 11, 1)
MONTHLY = {"asf", "af", "cf", "rsa", "ppa", "aide_logement", "aah", "aeeh"}  # not the ARS


def amounts_due(month: date) -> dict[tuple[int, str], Decimal]:
    """(dossier, benefit) -> the amount of its last revision for the month, read row by row."""
    due: dict[tuple[int, str], Decimal] = {}
    for dossier_id, benefit, amount in (
        RightsRevision.objects.filter(month=month)
        .order_by("id")
        .values_list("dossier_id", "benefit", "amount")
    ):
        due[(dossier_id, benefit)] = amount
    return due


def test_backtest_on_150_households() -> None:
    report = backtest.run(households=150, seed=2026, month=MONTH, write_results=False, migrate=False)

    assert RecomputeRun.objects.filter(month=FOLLOWING, finished_at__isnull=False).exists()
    before, after = amounts_due(MONTH), amounts_due(FOLLOWING)
    stopped = {
        d for (d, b), amount in before.items() if b in MONTHLY and amount > 0 and after.get((d, b), 0) == 0
    }
    assert stopped, "the small demo has ruptures to find (else this test checks nothing)"
    assert set(report["days"]) == {"2026-10-02", "2026-10-16"}
    for day, figures in report["days"].items():
        scored = set(
            Dossier.objects.filter(opened_on__lte=date.fromisoformat(day)).values_list("pk", flat=True)
        )
        assert figures["scored"] == len(scored)
        assert set(figures["rupture_ids"]) == stopped & scored
        assert figures["ruptures"] == len(stopped & scored)
        assert figures["base_rate"] == pytest.approx(len(stopped & scored) / len(scored))
        priority = figures["priority_list"]
        assert len(priority) == math.ceil(0.10 * len(scored))
        assert {p["dossier_id"] for p in priority} <= scored
        scores = [p["score"] for p in priority]
        assert scores == sorted(scores, reverse=True)
        for ranking in figures["rankings"].values():
            assert ranking["10%"]["list"] == len(priority)
            for cut in ranking.values():
                assert 0 <= cut["recall"] <= 1 and 0 <= cut["precision"] <= 1
                assert cut["hits"] <= min(cut["list"], figures["ruptures"])
        top = {p["dossier_id"] for p in priority}
        assert figures["rankings"]["score"]["10%"]["hits"] == len(top & stopped)
