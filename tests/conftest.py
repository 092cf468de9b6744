from datetime import date

import pytest

from parcours.child_support.parameters import Scales, scales_on


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    # Each test starts with a clean slate of failed logins (django-axes keeps them in the database).
    settings.AXES_ENABLED = True


@pytest.fixture(scope="session")
def scales() -> Scales:
    """The scales in force on 15 January 2026 (loads openfisca-france once per test process)."""
    return scales_on(date(2026, 1, 15))
