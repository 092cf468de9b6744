"""The pieces of a titre request are real uploads, checked as the declaration's documents are
(core/uploads/): a real PDF, JPEG or PNG of 10 Mo at most, recognised by its bytes and parsed (no
code nor embedded file in a PDF, an image within its pixel ceiling), then scanned by the
antivirus. A bad file is refused in French on its own input and nothing is created, no file left; the files are served
to the requesting parent and to the ARIPA agents of the territory (audited), to nobody else."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from parcours.accounts.models import AuditEntry, Role
from parcours.core.uploads import MAX_BYTES
from parcours.titres.models import TitreDocument, TitreRequest
from parcours.titres.rules import REQUIRED_DOCUMENTS
from parcours.titres.services.titre_caf import Piece, RequestChild, document_field, titre_request_create
from tests.accounts.helpers import parent_of, sign_in_verified, user_with_role
from tests.core import fake_clamd
from tests.core import upload_files as files
from tests.factories import household
from tests.factories.titres import PDF

from . import test_pages as pages
from .test_pages import NEW_URL, TODAY, aripa, form_data, request_url, submitted, text

# The pages' fixed day (autouse) and the two parents, shared with the pages' tests.
_today = pages._today
parents = pages.parents

pytestmark = pytest.mark.django_db
clamd = fake_clamd.clamd  # the fixture: a fake clamd, over a unix socket then TCP


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def upload_group(html: str, field: str) -> str:
    """The DSFR upload group of one file input: its label, input and messages."""
    label = html.index(f'<label class="fr-label" for="id_{field}">')
    start = html.rindex('<div class="fr-upload-group', 0, label)
    return html[start : html.index("</div>", html.index(f'id="id_{field}-messages"')) + 6]


@pytest.fixture
def root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "prive"
    return tmp_path / "prive"


def test_each_piece_has_its_file_input_with_the_formats_and_the_size(client, parents):
    client.force_login(parents["mother"])
    html = text(client.get(NEW_URL))
    assert 'enctype="multipart/form-data"' in html
    for code in REQUIRED_DOCUMENTS:
        assert (
            f'class="fr-upload" accept=".pdf,.jpg,.jpeg,.png" aria-describedby="id_{document_field(code)}'
            in html
        )
    assert html.count("Formats acceptés : PDF, JPEG ou PNG. Taille maximale : 10 Mo.") == len(
        REQUIRED_DOCUMENTS
    )


def test_the_pieces_are_stored_outside_the_web_root_and_listed_for_the_parent(client, parents, root):
    client.force_login(parents["mother"])
    data = form_data(parents)
    data[document_field("filiation_enfants")] = SimpleUploadedFile("livret.png", png(), "image/png")
    response = client.post(NEW_URL, data, follow=True)
    req = TitreRequest.objects.get()
    assert response.redirect_chain[-1][0] == request_url(req)
    assert sorted(req.documents_provided) == sorted(REQUIRED_DOCUMENTS)
    documents = list(req.documents.all())
    assert len(documents) == len(REQUIRED_DOCUMENTS) == len(stored_files(root))
    livret = req.documents.get(code="filiation_enfants")
    assert (livret.original_name, livret.content_type, livret.uploaded_by) == (
        "livret.png",
        "image/png",
        parents["mother"],
    )
    stored = root / livret.stored_path
    assert stored.read_bytes() == png() and livret.stored_path.startswith(f"titres/{req.pk}/")
    assert "livret" not in stored.name  # a random name, never the parent's
    page = text(response)
    assert "Les fichiers que vous avez envoyés" in page and "livret.png" in page
    download = client.get(f"{request_url(req)}pieces/{livret.pk}/")
    assert download.status_code == 200 and download.content == png()
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"


def test_the_pieces_provided_are_the_files_sent(client, parents, root):
    client.force_login(parents["mother"])
    data = form_data(parents)
    del data[document_field("convention_signee")]
    client.post(NEW_URL, data)
    req = TitreRequest.objects.get()
    assert sorted(req.documents_provided) == sorted(REQUIRED_DOCUMENTS - {"convention_signee"})
    assert "Pièces manquantes" in text(client.get(request_url(req)))


BAD_FILES = [
    pytest.param(
        "convention.pdf",
        b"Ceci est un texte, pas un PDF.\n" * 20,
        "Seuls les fichiers PDF, JPEG et PNG",
        id="text",
    ),
    pytest.param(
        "convention.pdf", b"%PDF-1.4 tronque", "Ce PDF est incomplet ou endommagé.", id="broken-pdf"
    ),
    pytest.param("photo.png", b"\x89PNG\r\n\x1a\n" + b"pas une image" * 10, "endommagée", id="broken-png"),
    pytest.param("vide.pdf", b"", "Le fichier est vide.", id="empty"),
    pytest.param("gros.pdf", PDF + b"0" * (11 * 1024 * 1024), "Le fichier dépasse 10 Mo.", id="11-mo"),
    pytest.param(
        "convention.pdf", files.exe_between_markers(), "Ce PDF est incomplet ou endommagé.", id="exe"
    ),
    pytest.param(
        "convention.pdf", files.pdf_with_document_javascript(), "Ce PDF contient du code", id="javascript"
    ),
    pytest.param("convention.pdf", files.pdf_with_attachment(), "fichiers intégrés", id="attachment"),
    pytest.param("convention.pdf", files.encrypted_pdf(), "protégé par un mot de passe", id="encrypted"),
    pytest.param(
        "photo.png",
        files.png_declaring(20_000, 20_000),
        "Cette image est trop grande (400 mégapixels)",
        id="bomb",
    ),
    pytest.param("photo.jpg", files.truncated_jpeg(), "endommagée", id="truncated-jpeg"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_on_its_input_and_nothing_is_created(
    client, parents, root, name, content, message
):
    client.force_login(parents["mother"])
    data = form_data(parents)
    field = document_field("convention_signee")
    data[field] = SimpleUploadedFile(name, content, "application/pdf")
    response = client.post(NEW_URL, data)
    assert response.status_code == 200
    html = text(response)
    assert message in upload_group(html, field) and "--error" in upload_group(html, field)  # its own input
    others = [document_field(code) for code in REQUIRED_DOCUMENTS if code != "convention_signee"]
    assert not any("--error" in upload_group(html, other) for other in others)
    assert "choisissez à nouveau vos pièces jointes" in html
    assert not TitreRequest.objects.exists() and not TitreDocument.objects.exists()
    assert stored_files(root) == []


def test_verifying_needs_no_file_and_stores_none(client, parents, root):
    client.force_login(parents["mother"])
    data = form_data(parents, button="verifier", certify="")
    for code in REQUIRED_DOCUMENTS:
        del data[document_field(code)]
    response = client.post(NEW_URL, data)
    html = text(response)
    assert response.status_code == 200 and "Pièces manquantes" in html
    assert not TitreRequest.objects.exists() and stored_files(root) == []


def _create(parents, documents):
    mother = parents["dossier"].memberships.get(role="allocataire").person
    return titre_request_create(
        creditor=mother,
        debtor=parents["father"],
        creditor_dossier=parents["dossier"],
        union="pacs",
        children=[RequestChild(parents["child"], Decimal("220.00"), "classique")],
        debtor_monthly_resources=Decimal("1500.00"),
        children_dependent_on_debtor=1,
        documents=documents,
        signed_by=mother,
        on=TODAY,
    )


def test_the_service_checks_every_file_and_names_each_bad_one(parents, root):
    with pytest.raises(ValidationError) as refused:
        _create(
            parents,
            [
                Piece("identite_parents", "ok.pdf", PDF),
                Piece("fin_union", "vide.pdf", b""),
                Piece("convention_signee", "faux.pdf", b"texte"),
            ],
        )
    errors = refused.value.message_dict
    assert errors[document_field("fin_union")] == ["Le fichier est vide."]
    assert "Seuls les fichiers PDF" in errors[document_field("convention_signee")][0]
    assert document_field("identite_parents") not in errors
    with pytest.raises(ValidationError) as unknown:
        _create(parents, [Piece("inconnue", "x.pdf", PDF)])
    assert "Pièce inconnue" in unknown.value.message_dict["documents"][0]
    assert not TitreRequest.objects.exists() and stored_files(root) == []


def test_a_piece_the_antivirus_flags_is_refused_and_nothing_is_created(parents, root, clamd):
    with pytest.raises(ValidationError) as refused:
        _create(
            parents,
            [
                Piece("identite_parents", "ok.pdf", PDF),
                Piece("fin_union", "photo.png", files.png_with_text(files.EICAR)),
            ],
        )
    assert list(refused.value.message_dict) == [document_field("fin_union")]
    assert "virus" in refused.value.message_dict[document_field("fin_union")][0]
    assert not TitreRequest.objects.exists() and not TitreDocument.objects.exists()
    assert stored_files(root) == []
    request = _create(parents, [Piece("identite_parents", "ok.pdf", PDF)])
    assert request.documents_provided == ["identite_parents"] and len(stored_files(root)) == 1


def test_files_written_are_removed_when_the_request_is_not_created(parents, root, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("base indisponible")

    # The files are written while the rows are created; the database then fails.
    original = TitreDocument.objects.bulk_create

    def write_then_fail(objs, *args, **kwargs):
        list(objs)  # the generator writes each file
        assert len(stored_files(root)) == 2
        fail()

    monkeypatch.setattr(TitreDocument.objects, "bulk_create", write_then_fail)
    with pytest.raises(RuntimeError):
        _create(parents, [Piece("identite_parents", "a.pdf", PDF), Piece("fin_union", "b.pdf", PDF)])
    monkeypatch.setattr(TitreDocument.objects, "bulk_create", original)
    assert not TitreRequest.objects.exists() and stored_files(root) == []


def test_the_agent_of_the_territory_downloads_a_piece_and_it_is_audited(client, parents, root):
    req = submitted(parents)
    document = req.documents.get(code="ressources_debiteur")
    agent = aripa(client)
    html = text(client.get(f"/pension-alimentaire/agent/titres-executoires/{req.pk}/"))
    url = f"{request_url(req)}pieces/{document.pk}/"
    assert "Les fichiers envoyés" in html and f'href="{url}"' in html and "ressources_debiteur.pdf" in html
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="piece-{document.pk}.pdf"'
    entry = AuditEntry.objects.get(actor=agent, action="dossier.read", context__contains=url)
    assert (entry.dossier, entry.allowed) == (parents["dossier"], True)


def test_nobody_else_reads_a_piece(client, parents, root):
    req = submitted(parents)
    document = req.documents.first()
    url = f"{request_url(req)}pieces/{document.pk}/"
    # 403 to whom the request's existence is no secret (the other parent, a role that never reads
    # titres); 404 to whom it must stay unknown.
    readers = {
        "the other parent": (parents["father_user"], 403),
        "a parent of another family": (parent_of(household()), 404),
        "an ARIPA agent of another territory": (user_with_role(Role.AGENT_ARIPA, departement="75"), 404),
        "an agent who does not handle titres": (
            user_with_role(Role.AGENT_PRESTATIONS, departement="91"),
            403,
        ),
    }
    for who, (user, status) in readers.items():
        other = Client()
        sign_in_verified(other, user)
        assert other.get(url).status_code == status, who
        assert AuditEntry.objects.filter(actor=user, allowed=False).exists(), who
    # The other parent reads which pieces were sent, never the files nor their names.
    other = Client()
    other.force_login(parents["father_user"])
    page = text(other.get(request_url(req)))
    assert "Pièces jointes" in page and document.original_name not in page and "/pieces/" not in page
    # A piece of another request is not found through this one.
    client.force_login(parents["mother"])
    assert client.get(f"{request_url(req)}pieces/{document.pk + 1000}/").status_code == 404


def test_a_file_of_eleven_mo_is_read_only_up_to_the_limit(parents, root):
    from parcours.core.uploads import read_upload

    upload = SimpleUploadedFile("gros.pdf", b"0" * (11 * 1024 * 1024))
    assert len(read_upload(upload)) == MAX_BYTES + 1
