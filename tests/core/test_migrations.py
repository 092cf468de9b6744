"""Every model change has its migration (a missing one breaks the next deployment's migrate)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"A migration is missing (makemigrations --check exited {exit_.code}).")
