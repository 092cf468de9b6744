"""Whether the creditor would receive the ASF as an advance is the rights engine's answer."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.intermediation.cycle.asf import asf_eligible_if_unpaid
from tests.factories import household

pytestmark = pytest.mark.django_db


def test_a_parent_alone_with_a_child_would_get_the_asf_as_an_advance():
    assert asf_eligible_if_unpaid(household(couple=False, children=1), date(2026, 1, 1)) is True


def test_a_parent_living_in_a_couple_would_not():
    assert asf_eligible_if_unpaid(household(couple=True, children=1), date(2026, 1, 1)) is False


def test_a_dossier_empty_that_month_would_not():
    assert (
        asf_eligible_if_unpaid(household(couple=False, opened_on=date(2026, 6, 1)), date(2026, 1, 1)) is False
    )
