"""The Caf titre request in a real browser, with its pieces: the parent joins a file that only
pretends to be a PDF and reads the refusal on that piece, nothing sent; she chooses her files
again, signs, and reads the names of the files she sent. The ARIPA agent of her territory
downloads a piece (the read audited); the other parent reads which pieces were sent, not the files.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from parcours.accounts.models import AuditEntry
from parcours.titres.models import TitreRequest
from parcours.titres.rules import DOCUMENT_LABELS
from tests.factories import UserFactory, household
from tests.factories.separation import PDF

from .checks import assert_page_ok
from .test_shell import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_URL = "/pension-alimentaire/titre-executoire/demander/"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def choose_files(page, fake: str = "") -> None:  # type: ignore[no-untyped-def]
    """A file for each piece; the piece `fake` gets a text file named like a PDF."""
    for i, code in enumerate(DOCUMENT_LABELS):
        if code == fake:
            file = {"name": "convention.pdf", "mimeType": "application/pdf", "buffer": b"pas un PDF\n" * 10}
        elif i == 1:  # a name the parent chose (the raw-code check reads "livret.png" as a code)
            file = {"name": "Livret-Famille.png", "mimeType": "image/png", "buffer": png()}
        else:
            file = {"name": f"piece-{i + 1}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        page.locator(f"#id_document_{code}").set_input_files(files=[file])


def test_the_parent_sends_real_pieces_and_the_agent_downloads_one(page, shot, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    mother_dossier = household(couple=False, children=1, departement="91")
    mother = mother_dossier.memberships.get(role="allocataire").person
    child = mother_dossier.memberships.get(role="enfant").person
    father_dossier = household(couple=False, children=0, departement="91")
    father = father_dossier.memberships.get(role="allocataire").person
    UserFactory(username="mere", person=mother)
    UserFactory(username="pere", person=father)
    agent = UserFactory(username="aripa", aripa=True)

    sign_in(page, "mere")
    page.goto(NEW_URL)
    page.get_by_label("Son numéro allocataire").fill(father_dossier.numero_allocataire)
    page.get_by_label("Son nom").fill(father.last_name)
    page.get_by_label("Sa date de naissance").fill(father.birth_date.isoformat())
    page.get_by_label("En union libre (concubinage)").check(force=True)
    page.get_by_label("Ressources mensuelles de l'autre parent").fill("1500,00")
    page.get_by_label("Nombre d'enfants à la charge de l'autre parent").fill("1")
    page.get_by_label(f"La demande concerne {child.first_names}").check(force=True)
    page.get_by_label(f"Pension mensuelle pour {child.first_names}").fill("220,00")
    page.get_by_label(
        f"Droit de visite et d'hébergement de l'autre parent pour {child.first_names}"
    ).select_option("classique")
    page.get_by_label("Je certifie que ces informations sont exactes").check(force=True)
    assert page.get_by_text("Formats acceptés : PDF, JPEG ou PNG. Taille maximale : 10 Mo.").count() == len(
        DOCUMENT_LABELS
    )
    assert_page_ok(page, "demande de titre")

    # A text file named like a PDF: refused on its own piece, nothing sent.
    choose_files(page, fake="convention_signee")
    page.get_by_role("button", name="Signer et envoyer à l'autre parent").click()
    group = page.locator(".fr-upload-group--error")
    group.wait_for()
    assert group.count() == 1 and "Seuls les fichiers PDF, JPEG et PNG sont acceptés." in group.inner_text()
    assert "La convention fixant la pension" in group.inner_text()
    assert not TitreRequest.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))
    shot(page, "piece-refusee")
    assert_page_ok(page, "pièce refusée")

    # Her answers are kept, the files are not (a browser never keeps them): she chooses them again.
    page.get_by_label("Je certifie que ces informations sont exactes").check(force=True)
    choose_files(page)
    page.get_by_role("button", name="Signer et envoyer à l'autre parent").click()
    page.get_by_text("Votre demande est signée.").wait_for()
    req = TitreRequest.objects.get()
    assert req.documents.count() == len(DOCUMENT_LABELS) == len(req.documents_provided)
    assert "Livret-Famille.png" in page.inner_text("main") and "Pièces manquantes" not in page.content()
    shot(page, "demande-signee")
    assert_page_ok(page, "demande signée")
    page.get_by_role("button", name="Se déconnecter").click()

    # The other parent reads which pieces were sent, never the files nor their names.
    sign_in(page, "pere")
    page.goto(f"/pension-alimentaire/titre-executoire/{req.pk}/")
    assert "Pièces jointes" in page.content() and "Livret-Famille" not in page.content()
    assert page.locator("a[href*='/pieces/']").count() == 0
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "aripa")
    page.goto(f"/pension-alimentaire/agent/titres-executoires/{req.pk}/")
    assert_page_ok(page, "demande de titre, agent")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger Livret-Famille.png").click()
    assert download.value.path().read_bytes() == png()
    document = req.documents.get(code="filiation_enfants")
    assert AuditEntry.objects.filter(
        actor=agent, action="dossier.read", context__contains=f"/pieces/{document.pk}/"
    ).exists()
    shot(page, "agent-pieces")
