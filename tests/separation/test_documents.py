"""Documents: the checklist follows the declaration; uploads are checked by content and kept private."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from parcours.separation import services
from parcours.separation.checklist import required_documents
from parcours.separation.documents import MAX_BYTES
from parcours.separation.models import Document
from tests.factories import UserFactory, household

from .test_views import declare

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("support", "children", "street", "codes"),
    [
        ("aucune", {}, "", []),
        ("impayee", {"1": "chez_moi"}, "", ["decision_pension"]),
        (
            "procedure",
            {"1": "alternee"},
            "3 rue B",
            ["preuve_procedure", "residence_alternee", "justificatif_adresse"],
        ),
        ("jugement", {"1": "chez_autre"}, "", ["decision_pension"]),
    ],
)
def test_checklist_follows_the_declaration(support, children, street, codes):
    declaration = SimpleNamespace(child_support=support, children=children, new_street=street)
    documents = required_documents(declaration)
    assert [d.code for d in documents] == codes
    assert all(d.label and d.reason.endswith(".") for d in documents)


@pytest.fixture
def deposited(client, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dossier = household(children=2)
    parent = UserFactory(person=dossier.memberships.get(role="allocataire").person)
    client.force_login(parent)
    declare(client, dossier, deposer="1")
    return dossier.demandes.get(), parent, tmp_path


def upload(client, demande, name, content):
    return client.post(
        f"/separation/demandes/{demande.pk}/pieces/",
        {"code": "decision_pension", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [("jugement.pdf", PDF), ("jugement.png", None)])
def test_a_real_pdf_or_image_is_kept_outside_the_web_root(client, deposited, name, content):
    demande, _, root = deposited
    content = content or png()
    response = upload(client, demande, name, content)
    assert "Votre pièce est bien reçue." in response.content.decode()
    document = Document.objects.get()
    stored = root / document.stored_path
    assert stored.read_bytes() == content and name not in stored.name
    download = client.get(f"/separation/demandes/{demande.pk}/pieces/{document.pk}/")
    assert download.content == content and download["Content-Type"] == document.content_type


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("jugement.pdf", b"MZ\x90\x00 un programme", "Seuls les fichiers PDF, JPEG et PNG"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"pas une image" * 10, "endommagée"),
        ("jugement.pdf", b"%PDF-1.4 tronque", "incomplet"),
        ("vide.pdf", b"", "vide"),
        ("gros.pdf", PDF + b"0" * MAX_BYTES, "10 Mo"),
    ],
)
def test_files_that_lie_or_are_too_large_are_refused_and_nothing_is_stored(
    client, deposited, name, content, message
):
    demande, _, root = deposited
    response = upload(client, demande, name, content)
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in root.rglob("*"))


@pytest.mark.django_db
def test_a_document_is_never_served_to_another_person(client, deposited):
    demande, parent, _ = deposited
    upload(client, demande, "jugement.pdf", PDF)
    document = Document.objects.get()
    url = f"/separation/demandes/{demande.pk}/pieces/{document.pk}/"
    client.force_login(UserFactory(person=household().memberships.get(role="allocataire").person))
    assert client.get(url).status_code == 404  # as if it did not exist
    client.force_login(UserFactory(agent=True, departement="75"))
    assert client.get(url).status_code == 404
    agent = UserFactory(agent=True)
    client.force_login(agent)
    assert client.get(url).status_code == 200
    # While the file is instructed the parent may still add documents; once refused, no more.
    services.demande_transition(demande=demande, action="instruire", by=agent, actor="agent")
    services.demande_transition(
        demande=demande, action="refuser", by=agent, actor="agent", reason="Hors délai."
    )
    client.force_login(parent)
    response = client.post(f"/separation/demandes/{demande.pk}/pieces/", {"code": "decision_pension"})
    assert response.status_code == 403
