import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    # Each test starts with a clean slate of failed logins (django-axes keeps them in the database).
    settings.AXES_ENABLED = True
