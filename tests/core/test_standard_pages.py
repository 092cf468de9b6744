"""The pages every public service owes (legal notices, accessibility, personal data), the French
404 and 500 pages with DEBUG on too, and the forgotten password by e-mail."""

from __future__ import annotations

import logging
import re

import pytest
from django.http import Http404
from django.test import Client
from django.urls import path, reverse

from parcours import urls as project_urls
from parcours.accounts.models import Role
from tests.accounts.helpers import TWO_FACTOR_URL, confirmed_device, sign_in, user_with_role
from tests.core.html import dangling_describedby, unlabelled_inputs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SECRET = "détail interne à ne jamais montrer"
MAIN = re.compile(r"<main.*</main>", re.DOTALL)


def boom(request):
    raise RuntimeError(SECRET)


def nothing_here(request):
    raise Http404("aucun objet")


# The site's own addresses, plus two views that fail: the urlconf of the error tests below.
urlpatterns = [
    path("test/erreur/", boom),
    path("test/introuvable/", nothing_here),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
WITH_FAILING_VIEWS = pytest.mark.urls(__name__)


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


# --- The standard pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url", "headings"),
    [
        (
            "core:legal",
            "/mentions-legales/",
            ["Mentions légales", "Éditeur", "Hébergement", "Licence du code"],
        ),
        (
            "core:accessibility",
            "/accessibilite/",
            [
                "Déclaration d'accessibilité",
                "État de conformité",
                "Résultats des tests",
                "Contenus non accessibles",
                "Établissement de cette déclaration d'accessibilité",
                "Retour d'information et contact",
                "Voies de recours",
            ],
        ),
        (
            "core:privacy",
            "/donnees-personnelles/",
            [
                "Données personnelles",
                "Les données conservées",
                "Pourquoi : les finalités et leur base légale",
                "Combien de temps",
                "Qui reçoit vos données",
                "Vos droits",
                "Contacter le délégué à la protection des données",
                "Réclamation auprès de la CNIL",
            ],
        ),
    ],
)
def test_each_standard_page_answers_in_french_with_its_headings(client, name, url, headings):
    assert reverse(name) == url
    response = client.get(url)
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="fr"' in html
    assert f"<title>{headings[0]} — parcours — Caf</title>" in html
    found = [h.strip() for h in re.findall(r"<h[12][^>]*>([^<]+)</h[12]>", MAIN.search(html).group(0))]
    assert found[0] == headings[0]
    assert set(headings) <= set(found)


def test_the_footer_of_every_page_links_to_them(client):
    html = text(client.get("/compte/connexion/"))
    footer = html[html.index('<footer class="fr-footer"') :]
    assert (
        '<a class="fr-footer__bottom-link" href="/accessibilite/">Accessibilité : non conforme</a>' in footer
    )
    assert '<a class="fr-footer__bottom-link" href="/mentions-legales/">Mentions légales</a>' in footer
    assert (
        '<a class="fr-footer__bottom-link" href="/donnees-personnelles/">Données personnelles</a>' in footer
    )


def test_the_legal_notices_name_the_publisher_the_host_the_licence_and_the_fictitious_data(client):
    html = text(client.get("/mentions-legales/"))
    assert "Caf de votre département" in html
    assert "directeur de la publication : le directeur ou la directrice de la Caf" in html
    assert "à indiquer ici par la Caf qui exploite le service" in html
    assert "EUPL), version 1.2" in html
    assert "il ne contient que des données fictives" in html


def test_the_accessibility_statement_is_honest_and_gives_the_remedies(client):
    html = text(client.get("/accessibilite/"))
    # Without an audit, the RGAA has the service declared non conforme.
    assert "parcours est <strong>non conforme</strong>" in html
    assert "Aucun audit complet de conformité au RGAA n'a encore été réalisé" in html
    assert "Cette déclaration a été établie le 3 décembre 2026." in html
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert 'href="https://www.defenseurdesdroits.fr"' in html


def test_the_personal_data_page_gives_purposes_durations_rights_and_contacts(client):
    html = text(client.get("/donnees-personnelles/"))
    # What the page said before is still said.
    assert "Une adresse déclarée confidentielle n'est jamais communiquée à l'autre parent." in html
    assert "articles L582-1 et L583-1 du code de la sécurité sociale" in html
    assert "mission de service public" in html
    table = re.search(r'<div class="fr-table"><table>.*?</table></div>', html, re.DOTALL).group(0)
    assert "<caption>Durées de conservation (durées indicatives, fixées par la Caf)</caption>" in table
    assert "Journal des consultations (audit)</td><td>1 an" in table
    for article in ("article 15", "article 16", "article 18", "article 21"):
        assert article in html
    assert "dpo@caf.invalid" in html and "adresse de démonstration, à remplacer" in html
    assert 'href="https://www.cnil.fr"' in html


# --- Error pages with DEBUG on --------------------------------------------------------------------


def test_an_unknown_address_gets_the_french_404_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = text(response)
    assert "<h1>Page non trouvée</h1>" in html and 'href="/"' in html
    assert "Using the URLconf" not in html and "mentions-legales" not in html.split("<footer")[0]


@WITH_FAILING_VIEWS
def test_a_view_s_http404_gets_the_french_404_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/test/introuvable/")
    assert response.status_code == 404
    html = text(response)
    assert "Page non trouvée" in html and "aucun objet" not in html and "Raised by" not in html


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_address_without_trailing_slash_is_still_redirected(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/mentions-legales")
    assert (response.status_code, response.url) == (301, "/mentions-legales/")


@WITH_FAILING_VIEWS
def test_a_server_error_gets_the_french_500_with_debug_on_and_is_logged(client, settings, caplog):
    settings.DEBUG = True
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test/erreur/")
    assert response.status_code == 500
    html = text(response)
    assert '<html lang="fr">' in html and "<h1>Erreur inattendue</h1>" in html and 'href="/"' in html
    assert SECRET not in html and "Traceback" not in html and "RuntimeError" not in html
    reference = re.search(r"la référence <strong>([0-9a-f]{8})</strong>", html).group(1)
    [record] = [r for r in caplog.records if r.name == "django.request" and reference in r.getMessage()]
    assert record.exc_info and record.exc_info[0] is RuntimeError


@WITH_FAILING_VIEWS
def test_a_developer_can_keep_django_s_traceback_with_debug_on(settings):
    settings.DEBUG = True
    settings.PARCOURS_FRIENDLY_ERRORS = False
    response = Client(raise_request_exception=False).get("/test/erreur/")
    assert response.status_code == 500
    assert "RuntimeError" in text(response) and "Erreur inattendue" not in text(response)


@WITH_FAILING_VIEWS
def test_with_debug_off_django_s_handlers_still_answer_in_french(settings):
    settings.DEBUG = False
    plain = Client(raise_request_exception=False)
    assert "Page non trouvée" in text(plain.get("/nulle-part/"))
    failed = plain.get("/test/erreur/")
    assert failed.status_code == 500 and "Erreur inattendue" in text(failed) and SECRET not in text(failed)


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_api_address_keeps_the_api_s_json(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/v1/nulle-part")
    assert response["Content-Type"] == "application/json"
    assert (response.status_code, response.json()) == (
        404,
        {"detail": [{"field": "requête", "message": "Ressource introuvable."}]},
    )


# --- Forgotten password ---------------------------------------------------------------------------

RESET_URL = "/compte/mot-de-passe-oublie/"
DONE_URL = "/compte/mot-de-passe-oublie/envoye/"
NEW_PASSWORD = "un-nouveau-mot-de-passe-solide"


def reset_link(message) -> str:
    return re.search(r"http://testserver(/compte/mot-de-passe-oublie/[^/\s]+/[^/\s]+/)", message.body).group(
        1
    )


def choose_new_password(client, link: str, password: str = NEW_PASSWORD, confirmation: str | None = None):
    form = client.get(link)  # the link's token is swapped for a fixed address, then the form
    assert form.status_code == 302 and form.url.endswith("/nouveau-mot-de-passe/")
    return client.post(form.url, {"new_password1": password, "new_password2": confirmation or password})


def test_the_login_page_links_to_the_forgotten_password(client):
    html = text(client.get("/compte/connexion/"))
    assert '<a class="fr-link" href="/compte/mot-de-passe-oublie/">Mot de passe oublié ?</a>' in html


def test_the_forgotten_password_form_is_french_and_labelled(client):
    response = client.get(RESET_URL)
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Mot de passe oublié</h1>" in html and "Adresse e-mail" in html
    assert unlabelled_inputs(html) == [] and dangling_describedby(html) == []
    invalid = text(client.post(RESET_URL, {"email": "pas-une-adresse"}))
    assert 'class="fr-error-text" id="email-error"' in invalid and "Saisissez une adresse" in invalid
    assert re.search(r'<input [^>]*aria-describedby="email-error"', invalid)
    assert dangling_describedby(invalid) == []


def test_a_known_address_gets_one_french_e_mail_an_unknown_one_none_and_the_same_page(client, mailoutbox):
    UserFactory(username="claire", email="claire@exemple.fr")
    known = client.post(RESET_URL, {"email": "claire@exemple.fr"}, follow=True)
    assert known.redirect_chain == [(DONE_URL, 302)]
    [message] = mailoutbox
    assert message.to == ["claire@exemple.fr"]
    assert message.subject == "parcours : choisir un nouveau mot de passe"
    assert "Bonjour," in message.body and "Votre identifiant : claire" in message.body
    assert "Si vous n'avez rien demandé, ignorez ce message" in message.body
    assert "&#x27;" not in message.body  # a plain-text e-mail, not escaped as HTML
    reset_link(message)

    unknown = client.post(RESET_URL, {"email": "personne@exemple.fr"}, follow=True)
    assert unknown.redirect_chain == [(DONE_URL, 302)]
    assert len(mailoutbox) == 1
    # Word for word the same page: it never tells whether the address has an account.
    assert MAIN.search(text(known)).group(0) == MAIN.search(text(unknown)).group(0)
    assert "<h1>Consultez vos e-mails</h1>" in text(unknown)


def test_the_link_sets_a_new_password_that_signs_in(client, mailoutbox):
    UserFactory(username="claire", email="claire@exemple.fr")
    client.post(RESET_URL, {"email": "claire@exemple.fr"})
    link = reset_link(mailoutbox[0])

    form_page = client.get(client.get(link).url)
    assert "<h1>Choisir un nouveau mot de passe</h1>" in text(form_page)
    assert unlabelled_inputs(text(form_page)) == [] and dangling_describedby(text(form_page)) == []
    done = choose_new_password(client, link)
    assert (done.status_code, done.url) == (302, "/compte/mot-de-passe-oublie/termine/")
    complete = text(client.get(done.url))
    assert "<h1>Mot de passe modifié</h1>" in complete and 'href="/compte/connexion/"' in complete
    # The reset signs no one in: the login page does, with the new password only.
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "claire").status_code == 200  # the old one no longer works
    assert sign_in(client, "claire", NEW_PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_a_used_link_no_longer_works(client, mailoutbox):
    UserFactory(username="claire", email="claire@exemple.fr")
    client.post(RESET_URL, {"email": "claire@exemple.fr"})
    link = reset_link(mailoutbox[0])
    choose_new_password(client, link)
    again = client.get(link)
    assert again.status_code == 200 and "<h1>Lien expiré ou déjà utilisé</h1>" in text(again)
    assert 'href="/compte/mot-de-passe-oublie/"' in text(again)


def test_two_different_passwords_get_a_french_error_tied_to_the_input(client, mailoutbox):
    UserFactory(username="claire", email="claire@exemple.fr")
    client.post(RESET_URL, {"email": "claire@exemple.fr"})
    response = choose_new_password(
        client, reset_link(mailoutbox[0]), confirmation="un-autre-mot-de-passe-long"
    )
    assert response.status_code == 200
    html = text(response)
    assert "Les deux mots de passe ne correspondent pas." in html
    assert re.search(r'<input [^>]*aria-describedby="[^"]*new-password2-error"', html)
    assert dangling_describedby(html) == []


def test_a_staff_member_still_gives_the_second_factor_after_a_reset(client, mailoutbox):
    agent = user_with_role(Role.AGENT_PRESTATIONS, username="agent", email="agent@caf.invalid")
    confirmed_device(agent)
    client.post(RESET_URL, {"email": "agent@caf.invalid"})
    choose_new_password(client, reset_link(mailoutbox[0]))
    response = sign_in(client, "agent", NEW_PASSWORD)
    assert response.status_code == 302 and response.url.startswith(TWO_FACTOR_URL)
    # Signed in by password only: every other page still asks for the code.
    assert client.get("/agent/dossiers/").url.startswith(TWO_FACTOR_URL)
