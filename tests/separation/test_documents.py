"""Documents: the checklist follows the declaration; uploads are really parsed (core/uploads/),
scanned, limited in number per piece, and kept private. A refused file is a French message on the
page, never a server error, and leaves neither a file nor a row."""

import html
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours.core.uploads.antivirus import INFECTED
from parcours.core.uploads.pdf import ACTIVE, ENCRYPTED
from parcours.separation import documents, services
from parcours.separation.checklist import required_documents
from parcours.separation.documents import MAX_BYTES, MAX_FILES_PER_PIECE, document_upload
from parcours.separation.models import Document, DocumentReview
from tests.core import fake_clamd
from tests.core import upload_files as files
from tests.factories import UserFactory, household

from .test_views import declare

PDF = files.SMALL_PDF
png = files.png
clamd = fake_clamd.clamd  # the fixture: a fake clamd, over a unix socket then TCP


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


def stored(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("jugement.pdf", files.exe_between_markers(), "Ce PDF est incomplet ou endommagé."),
        ("jugement.pdf", files.pdf_with_document_javascript(), ACTIVE),
        ("jugement.pdf", files.pdf_with_open_action(), ACTIVE),
        ("jugement.pdf", files.pdf_with_attachment(), ACTIVE),
        ("jugement.pdf", files.encrypted_pdf(), ENCRYPTED),
        ("jugement.pdf", files.pdf(101), "Ce PDF compte 101 pages : 100 pages au plus."),
        ("photo.png", files.png_declaring(12_000, 12_000), "trop grande (144 mégapixels)"),
        ("photo.png", files.png_declaring(20_000, 20_000), "trop grande (400 mégapixels)"),
        ("photo.jpg", files.truncated_jpeg(), "endommagée"),
    ],
    ids=[
        "exe",
        "javascript",
        "open-action",
        "attachment",
        "encrypted",
        "101-pages",
        "144-mp",
        "bomb",
        "jpeg",
    ],
)
def test_a_file_that_is_not_plain_is_refused_in_french_not_a_server_error(
    client, deposited, name, content, message
):
    demande, _, root = deposited
    response = client.post(
        f"/separation/demandes/{demande.pk}/pieces/",
        {"code": "decision_pension", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302  # back to the page, with the message
    page = client.get(response["Location"])
    assert page.status_code == 200 and message in page.content.decode()
    assert not Document.objects.exists() and stored(root) == []


@pytest.mark.django_db
def test_a_file_the_antivirus_flags_is_refused_and_a_clean_one_kept(client, deposited, clamd):
    demande, _, root = deposited
    response = upload(client, demande, "photo.png", files.png_with_text(files.EICAR))
    assert INFECTED in html.unescape(response.content.decode())
    assert not Document.objects.exists() and stored(root) == []
    response = upload(client, demande, "photo.png", png())
    assert "Votre pièce est bien reçue." in response.content.decode()
    assert Document.objects.count() == 1 and len(stored(root)) == 1
    assert len(clamd.streams) == 2


@pytest.mark.django_db
def test_an_unreachable_antivirus_refuses_the_file(client, deposited, settings):
    demande, _, root = deposited
    settings.PARCOURS_ANTIVIRUS = "clamd"
    settings.PARCOURS_CLAMD_SOCKET = str(root / "absent.sock")
    response = upload(client, demande, "jugement.pdf", PDF)
    assert "momentanément indisponible" in response.content.decode()
    assert not Document.objects.exists() and stored(root) == []


@pytest.mark.django_db
def test_a_piece_takes_a_few_files_then_no_more(client, deposited):
    demande, parent, root = deposited
    for _ in range(MAX_FILES_PER_PIECE):
        assert "Votre pièce est bien reçue." in upload(client, demande, "page.png", png()).content.decode()
    response = upload(client, demande, "page.png", png())
    assert (
        f"Vous avez déjà déposé {MAX_FILES_PER_PIECE} fichiers pour cette pièce" in response.content.decode()
    )
    assert Document.objects.count() == MAX_FILES_PER_PIECE and len(stored(root)) == MAX_FILES_PER_PIECE
    # Another piece has its own files; one the agent refused makes room for its replacement.
    document_upload(demande=demande, code="rib", name="rib.pdf", content=PDF, by=parent)
    Document.objects.filter(code="decision_pension").filter(pk=Document.objects.first().pk).update(
        review=DocumentReview.REFUSEE
    )
    assert "Votre pièce est bien reçue." in upload(client, demande, "page.png", png()).content.decode()
    assert Document.objects.filter(code="decision_pension").count() == MAX_FILES_PER_PIECE + 1


@pytest.mark.django_db
def test_the_last_place_taken_meanwhile_leaves_no_file(deposited, monkeypatch):
    """Another upload takes the last place between the first check and the row: the second
    check, under the demande's lock, refuses, and the file already written is removed."""
    demande, parent, root = deposited
    for _ in range(MAX_FILES_PER_PIECE - 1):
        document_upload(demande=demande, code="decision_pension", name="p.png", content=png(), by=parent)
    real_check = documents._room_for_one_more
    calls = []

    def meanwhile(demande, code):  # type: ignore[no-untyped-def]
        calls.append(code)
        if len(calls) == 1:
            real_check(demande, code)
            monkeypatch.setattr(documents, "_room_for_one_more", real_check)
            document_upload(demande=demande, code=code, name="other.png", content=png(), by=parent)
            monkeypatch.setattr(documents, "_room_for_one_more", meanwhile)
            return
        real_check(demande, code)

    monkeypatch.setattr(documents, "_room_for_one_more", meanwhile)
    with pytest.raises(ValidationError, match="fichiers pour cette pièce"):
        document_upload(demande=demande, code="decision_pension", name="late.png", content=png(), by=parent)
    assert Document.objects.count() == MAX_FILES_PER_PIECE and len(stored(root)) == MAX_FILES_PER_PIECE


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
