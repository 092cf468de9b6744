"""The staff's dossier page shows the dossier's rights month by month, from the revisions kept."""

from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.core.money import format_euros
from parcours.rights.models import RightsRevision
from parcours.rights.services import rights_revise
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


def test_the_dossier_page_shows_the_rights_of_the_last_months(client, settings):
    dossier = household(departement="91", children=2, salary=Decimal("1500.00"), rent=Decimal("700.00"))
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    rights_revise(dossier=dossier, from_month=month, to_month=month, source="calcul initial")
    client.force_login(UserFactory(agent=True, departement="91"))

    html = client.get(f"/agent/dossiers/{dossier.numero_allocataire}/").content.decode()

    assert "<caption>Droits du dossier par mois</caption>" in html
    shown = RightsRevision.objects.filter(dossier=dossier).exclude(amount=0)
    assert shown.exists()
    for revision in shown:
        assert format_euros(revision.amount) in html
    assert "Allocations familiales" in html  # two children: the label, never the code "af"
    assert ">af<" not in html


def test_a_dossier_without_computed_rights_says_so(client):
    dossier = household(departement="91")
    client.force_login(UserFactory(agent=True, departement="91"))
    html = client.get(f"/agent/dossiers/{dossier.numero_allocataire}/").content.decode()
    assert "Aucun droit calculé pour ce dossier depuis" in html
