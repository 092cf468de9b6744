"""What a campaign caused: take-up in the contacted group against the control group (decision
0018). Pure: no Django.

The uplift is the difference of two proportions, contacted minus control. Its 95 % confidence
interval is Newcombe's hybrid score interval (Newcombe, Statistics in Medicine 17, 1998, method
10), from statsmodels: unlike the Wald interval it keeps its coverage with small counts and with
rates near zero, which is where a campaign's take-up lives. A campaign shows an effect only when
the interval excludes zero; otherwise the page says that its sample cannot show one, whatever the
raw difference.

The cost per right opened counts only the rights the campaign caused: the uplift times the
households contacted. Costs are integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from statsmodels.stats.proportion import confint_proportions_2indep

CONFIDENCE = Decimal("0.95")


class CountsInvalid(ValueError):
    """Counts that cannot be proportions (negative, or more take-ups than households)."""


@dataclass(frozen=True)
class Effect:
    contacted: int
    contacted_took_up: int
    control: int
    control_took_up: int
    uplift: float | None  # in proportion points (0.05 is +5 points); None without two groups
    low: float | None
    high: float | None

    @property
    def measurable(self) -> bool:
        return self.uplift is not None

    @property
    def shown(self) -> bool:
        """The interval excludes zero: the sample shows an effect, one way or the other."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def caused(self) -> Decimal | None:
        """Rights the contact caused among the households contacted (uplift × contacted)."""
        if not self.shown or self.uplift is None or self.uplift <= 0:
            return None
        return (Decimal(repr(self.uplift)) * self.contacted).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def verdict(self) -> str:
        if not self.measurable:
            return "Effet non mesurable : il faut des foyers contactés et un groupe témoin."
        if not self.shown:
            return (
                "L'échantillon ne permet pas de conclure : l'intervalle de confiance à 95 % "
                "contient zéro, la différence observée peut être due au hasard."
            )
        if self.high is not None and self.high < 0:
            return "Effet négatif démontré : les foyers contactés ont moins recouru que le groupe témoin."
        return "Effet démontré : le contact a augmenté le recours (intervalle de confiance à 95 %)."


def _check(households: int, took_up: int) -> None:
    if households < 0 or took_up < 0 or took_up > households:
        raise CountsInvalid("Les effectifs ne forment pas une proportion.")


def effect(contacted: int, contacted_took_up: int, control: int, control_took_up: int) -> Effect:
    _check(contacted, contacted_took_up)
    _check(control, control_took_up)
    if contacted == 0 or control == 0:
        return Effect(contacted, contacted_took_up, control, control_took_up, None, None, None)
    low, high = confint_proportions_2indep(
        contacted_took_up,
        contacted,
        control_took_up,
        control,
        method="newcomb",
        compare="diff",
        alpha=float(1 - CONFIDENCE),
    )
    uplift = contacted_took_up / contacted - control_took_up / control
    return Effect(contacted, contacted_took_up, control, control_took_up, uplift, float(low), float(high))


def cost_per_right_caused(cost_cents: int, result: Effect) -> int | None:
    """The campaign's cost divided by the rights it caused, in cents; None when it caused none."""
    caused = result.caused
    if caused is None or caused <= 0:
        return None
    return int((Decimal(cost_cents) / caused).to_integral_value(ROUND_HALF_UP))
