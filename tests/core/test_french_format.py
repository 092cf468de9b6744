"""French on screen: plurals, months, and a label for every audited action."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from parcours.accounts.models import AUDIT_ACTIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0 demande"), (1, "1 demande"), (2, "2 demandes"), (25, "25 demandes")]
)
def test_french_plural_keeps_zero_and_one_singular(count, shown):
    template = Template("{% load parcours_format %}{{ n }} demande{{ n|pluriel }}")
    assert template.render(Context({"n": count})) == shown


def test_a_month_reads_as_people_say_it():
    template = Template("{% load parcours_format %}{{ m|mois }}")
    assert template.render(Context({"m": "2026-11"})) == "novembre 2026"


def test_every_audited_action_has_a_french_label():
    used = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        used |= set(re.findall(r'_audit\(request, \w+, "([a-z_]+\.[a-z_]+)"', text))
    assert used and used <= set(AUDIT_ACTIONS), sorted(used - set(AUDIT_ACTIONS))


def test_no_template_uses_the_english_plural():
    offenders = [p.name for p in SRC.rglob("*.html") if "|pluralize" in p.read_text(encoding="utf-8")]
    assert offenders == []
