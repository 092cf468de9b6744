"""Codes commune INSEE against the communes of openfisca-france's housing-aid zones."""

import pytest

from parcours.core.communes import FORMAT_MESSAGE, UNKNOWN_MESSAGE, commune_error, known_communes


@pytest.mark.parametrize(
    "code",
    ["75056", "75101", "69381", "13201", "91228", "2A004", "2B033", "97411", "97617", "55138"],
)
def test_real_communes_arrondissements_corsica_overseas_and_new_communes_are_known(code):
    assert commune_error(code) is None


@pytest.mark.parametrize("code", ["00000", "99999", "2A999", "2B000", "20000", "98735"])
def test_codes_of_no_commune_are_refused(code):
    assert commune_error(code) == UNKNOWN_MESSAGE


@pytest.mark.parametrize(
    "code", ["", "7505", "750560", "2a004", "2C004", "\u0669\u0661\u0662\u0662\u0668", "75056\n"]
)
def test_malformed_codes_are_refused(code):
    assert commune_error(code) == FORMAT_MESSAGE


def test_the_list_is_read_once_and_is_the_size_of_france():
    assert known_communes() is known_communes()
    assert 35_000 < len(known_communes()) < 40_000
