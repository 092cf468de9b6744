"""S'informer: the topics fit the answers; the unsafe path is discreet and offers a call back."""

from types import SimpleNamespace

import pytest

from parcours.separation.information import Answers, fits, topics_for
from parcours.separation.models import CallbackRequest, InfoTopic
from parcours.social.models import Signalement
from tests.factories import UserFactory, household


def topic(**kw):
    base = {
        "unions": "",
        "children_only": False,
        "without_decision_only": False,
        "unsafe_only": False,
        "order": 1,
        "pk": 1,
    }
    return SimpleNamespace(**(base | kw))


@pytest.mark.parametrize(
    ("kw", "answers", "expected"),
    [
        ({"unions": "mariage"}, Answers("pacs", True, False, False), False),
        ({"unions": "mariage, pacs"}, Answers("pacs", True, False, False), True),
        ({"children_only": True}, Answers("concubinage", False, False, False), False),
        ({"without_decision_only": True}, Answers("mariage", True, True, False), False),
        ({"unsafe_only": True}, Answers("mariage", True, False, False), False),
        ({"unsafe_only": True}, Answers("mariage", True, False, True), True),
    ],
)
def test_topics_fit_the_answers(kw, answers, expected):
    assert fits(topic(**kw), answers) is expected


def test_unsafe_topics_come_first():
    ordered = topics_for(
        [topic(order=1, pk=1), topic(order=9, unsafe_only=True, pk=2)], Answers("pacs", True, False, True)
    )
    assert [t.pk for t in ordered] == [2, 1]


@pytest.mark.django_db
def test_the_seeded_texts_are_editable_data_and_the_page_filters_them(client):
    assert InfoTopic.objects.filter(code__in=["divorce", "pacs", "pension", "violences"]).count() == 4
    html = client.post(
        "/separation/s-informer/", {"union": "pacs", "children": "oui", "decision": "non", "unsafe": "non"}
    ).content.decode()
    assert "La fin du PACS" in html and "La pension alimentaire" in html and "La médiation familiale" in html
    assert "Le divorce" not in html and "Vous êtes en danger" not in html
    InfoTopic.objects.filter(code="pacs").update(title="Rompre un PACS")
    html = client.post(
        "/separation/s-informer/", {"union": "pacs", "children": "non", "decision": "non", "unsafe": "non"}
    ).content.decode()
    assert "Rompre un PACS" in html and "La pension alimentaire" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("children", ["oui", "non"])
def test_a_parent_with_children_is_sent_to_the_pension_pages(client, children):
    html = client.post(
        "/separation/s-informer/", {"union": "pacs", "children": children, "decision": "non", "unsafe": "non"}
    ).content.decode()
    links = 'href="/pension-alimentaire/simuler/"' in html, 'href="/pension-alimentaire/ma-pension/"' in html
    assert links == ((True, True) if children == "oui" else (False, False))


@pytest.mark.django_db
def test_the_public_home_links_to_the_simulator_and_it_opens(client):
    html = client.get("/").content.decode()
    assert 'href="/pension-alimentaire/simuler/"' in html
    assert client.get("/pension-alimentaire/simuler/").status_code == 200


@pytest.mark.django_db
def test_the_answers_never_ride_in_the_address_and_the_page_is_never_stored(client):
    asked = {"union": "mariage", "children": "oui", "decision": "non", "unsafe": "oui"}
    # Answers typed into the address (an old link, a watched history) are ignored.
    by_address = client.get("/separation/s-informer/", asked)
    assert "Vous êtes en danger" not in by_address.content.decode()
    posted = client.post("/separation/s-informer/", asked)
    assert "Vous êtes en danger" in posted.content.decode()
    for response in (by_address, posted):
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        # The quick exit is on every page of the path, sticky, with its keyboard shortcut (its style
        # and script are static files: the Content-Security-Policy refuses inline ones).
        assert 'id="quick-exit"' in html and "Échap" in html
        assert 'class="parcours-quick-exit"' in html and "separation/quick-exit.js" in html
    assert 'method="post"' in posted.content.decode()


@pytest.mark.django_db
def test_the_unsafe_path_offers_a_quick_exit_and_a_call_back(client):
    html = client.post(
        "/separation/s-informer/", {"union": "mariage", "children": "oui", "decision": "non", "unsafe": "oui"}
    ).content.decode()
    assert (
        "Vous êtes en danger" in html
        and "Quitter rapidement" in html
        and "3919" in html
        and "Être rappelé(e)" in html
    )
    refused = client.post("/separation/etre-rappele/", {"phone": "12", "slot": "le soir"})
    assert "numéro français" in refused.content.decode() and not CallbackRequest.objects.exists()
    client.post("/separation/etre-rappele/", {"phone": "06 12 34 56 78", "slot": "le matin"})
    assert CallbackRequest.objects.get().phone == "06 12 34 56 78"
    client.force_login(UserFactory(agent=True))
    assert "06 12 34 56 78" in client.get("/separation/rappels/").content.decode()
    client.force_login(UserFactory(manager=True))
    assert client.get("/separation/rappels/").status_code == 403


@pytest.mark.django_db
def test_social_workers_see_the_signalements_of_their_territory_only(client):
    here, elsewhere = household(departement="91"), household(departement="75")
    Signalement.objects.create(dossier=here, kind="separation", source="a")
    Signalement.objects.create(dossier=elsewhere, kind="separation", source="b")
    client.force_login(UserFactory(social=True))
    html = client.get("/social/signalements/").content.decode()
    assert here.numero_allocataire in html and elsewhere.numero_allocataire not in html
    client.force_login(UserFactory(agent=True))
    assert client.get("/social/signalements/").status_code == 403
