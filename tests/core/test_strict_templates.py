"""The strict-template guard of tests/conftest.py: an unknown variable in a parcours template fails."""

from pathlib import Path

import pytest
from django.template import Context, Engine, Origin, Template

from tests.conftest import PROJECT_TEMPLATES


def render(source: str, **context) -> str:
    origin = Origin(name=str(Path(PROJECT_TEMPLATES) / "core" / "templates" / "essai.html"))
    return Template(source, origin=origin, engine=Engine.get_default()).render(Context(context))


@pytest.mark.parametrize(
    "source",
    [
        "{{ inconnu }}",
        "{{ dossier.numero }}",
        "{% if inconnu %}x{% endif %}",
        "{% for x in inconnus %}{% endfor %}",
    ],
)
def test_an_unknown_variable_fails(source):
    with pytest.raises(pytest.fail.Exception, match="Variable de gabarit inconnue"):
        render(source, dossier={"id": 1})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{{ inconnu|default:"rien" }}', "rien"),
        ("{% if dossier.absent %}x{% else %}y{% endif %}", "y"),
        ("{{ dossier.id }}", "1"),
    ],
)
def test_django_s_meant_tolerance_is_kept(source, expected):
    assert render(source, dossier={"id": 1}) == expected


def test_another_package_s_template_is_not_checked():
    assert Template("{{ inconnu }}").render(Context({})) == ""
