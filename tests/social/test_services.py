import pytest

from parcours.households.services import commune_insee_is_valid, postcode_is_valid
from parcours.social.models import Signalement
from parcours.social.services import signalement_create
from tests.factories import household

pytestmark = pytest.mark.django_db


def test_a_signalement_is_created_once_per_dossier_reason_and_origin():
    dossier = household()
    first = signalement_create(dossier=dossier, kind=Signalement.Kind.SEPARATION, source="déclaration n° 1")
    again = signalement_create(dossier=dossier, kind=Signalement.Kind.SEPARATION, source="déclaration n° 1")
    other = signalement_create(dossier=dossier, kind=Signalement.Kind.SEPARATION, source="déclaration n° 2")
    assert again == first
    assert other != first
    assert Signalement.objects.filter(dossier=dossier).count() == 2


@pytest.mark.parametrize(("code", "valid"), [("91228", True), ("9122", False), ("2A004", False), ("", False)])
def test_postcode_shape(code, valid):
    assert postcode_is_valid(code) is valid


@pytest.mark.parametrize(
    ("code", "valid"), [("91228", True), ("2A004", True), ("2C004", False), ("912", False)]
)
def test_commune_insee_shape(code, valid):
    assert commune_insee_is_valid(code) is valid
