"""The Caf's titre exécutoire as PDF (titres/letters.py). The text is read from WeasyPrint's layout of the same document
(pypdf is not a dependency)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from parcours.child_support.scales import Custody
from parcours.core.templatetags.parcours_format import format_euros
from parcours.titres.letters import TitreCafLetter, TitreChild, titre_caf_document, titre_caf_pdf
from parcours.titres.rules import ParentIdentity
from tests.core.pdf import text_of

D = Decimal
CREDITOR_STREET = "12 rue des Lilas"

TITRE = TitreCafLetter(
    reference="TE-2026-000123",
    caf_name="Caf de la Gironde",
    issued_on=date(2026, 3, 2),
    starts_on=date(2026, 4, 1),
    creditor=ParentIdentity("Camille", "Martin", date(1990, 5, 4), f"{CREDITOR_STREET}\n33000 Bordeaux"),
    debtor=ParentIdentity("Julien", "Bernard", date(1988, 1, 9), "3 allée des Pins\n33400 Talence"),
    children=(
        TitreChild("Léa", "Bernard", date(2018, 6, 1), Custody.CLASSIQUE, D("247.80")),
        TitreChild(
            "Hugo", "Bernard", date(2020, 2, 29), Custody.REDUIT, D("150.50"), "Un samedi sur deux, sans nuit"
        ),
    ),
    debtor_monthly_resources=D("2100.00"),
    children_dependent_on_debtor=2,
)


@pytest.fixture(autouse=True)
def _loud_templates(settings):
    # An unknown template variable fails the test instead of printing nothing.
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = "!!INCONNU %s!!"
    settings.TEMPLATES = templates


def test_the_titre_is_a_pdf():
    assert titre_caf_pdf(TITRE).startswith(b"%PDF-")


def test_the_titre_states_what_domain_md_6_lists():
    text = text_of(titre_caf_document(TITRE))
    assert "!!INCONNU" not in text
    for expected in (
        "Titre exécutoire fixant la contribution à l'entretien et à l'éducation des enfants",
        "Caf de la Gironde",
        "Titre n° TE-2026-000123",
        "Délivré le 2 mars 2026",
        "L. 582-2",
        # identities of the parents and the children
        "Julien Bernard, né(e) le 9 janvier 1988",
        "Camille Martin, né(e) le 4 mai 1990",
        f"{CREDITOR_STREET} 33000 Bordeaux",
        "Léa Bernard né(e) le 1er juin 2018",
        "Hugo Bernard né(e) le 29 février 2020",
        # amount, visiting and accommodation arrangement per child
        format_euros(D("247.80")),
        format_euros(D("150.50")),
        format_euros(D("398.30")),  # the total
        "Droit de visite et d'hébergement classique",
        "un week-end sur deux et la moitié des vacances scolaires",
        "Droit de visite et d'hébergement réduit Un samedi sur deux, sans nuit",
        # the debtor's resources and the children dependent on them
        f"Ressources mensuelles du parent qui verse la pension : {format_euros(D('2100.00'))}",
        "Nombre d'enfants à sa charge : 2",
        # start date and revaluation index
        "due à compter du 1er avril 2026",
        "revalorisée chaque année le 1er avril",
        "Indice des prix à la consommation, ensemble des ménages, France, hors tabac",
        "série 001763852",
        "2 mois avant elle",
        # intermediation
        "La pension est versée par l'intermédiaire de la Caf",
    ):
        assert expected in text, expected


def test_a_confidential_creditor_address_is_not_in_the_titre():
    text = text_of(titre_caf_document(replace(TITRE, creditor_address_confidential=True)))
    assert CREDITOR_STREET not in text and "Bordeaux" not in text
    assert "Adresse confidentielle, connue de la Caf" in text
    assert "3 allée des Pins" in text  # the debtor's own address is still there


def test_the_titre_says_when_both_parents_refused_intermediation():
    text = text_of(titre_caf_document(replace(TITRE, intermediation=False)))
    assert "Les deux parents ont refusé que la pension soit versée par l'intermédiaire de la Caf" in text
    assert "peut la demander à tout moment" in text
