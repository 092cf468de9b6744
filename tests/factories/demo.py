"""What `python -m parcours demo` records of a load (the command itself is tested in tests/demo)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from parcours.demo.models import DemoLoad


class DemoLoadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemoLoad

    seed = 2026
    reference_month = date(2026, 11, 1)
    households = 500
    created = 500
    seconds = Decimal("42.0")

    class Params:
        extension = factory.Trait(households=1000, created=500)  # a larger count extends the base
