from datetime import date

import pytest

from parcours.child_support.parameters import Scales, scales_on

ON = date(2026, 1, 15)


@pytest.fixture(scope="session")
def scales() -> Scales:
    """The scales in force on 15 January 2026 (loads openfisca-france once per test process)."""
    return scales_on(ON)
