"""What every page of the journeys must pass, seen in the browser: axe-core finds no serious or
critical accessibility violation, and the text a person reads is French, with no raw code.

The language check is two lists: the raw codes the code base uses (ledger accounts and keys,
states, roles, audit actions, ISO months, Python values), matched as patterns; and a dictionary of
frequent English words that are not also French words, matched as whole words in the visible text.
"""

from __future__ import annotations

import re
from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

RAW_CODES = [
    r"\b(?:debtor|creditor|asf_advanced|caf_bank|suspense)(?::\d+)?\b",
    r"\b(?:due|payout|asf|recovery|receipt|demande|document):[\w-]+",
    r"\b[a-z]+_[a-z_]+\b",  # snake_case: a state, a role, a field name (recouvrement_force, agent_aripa)
    r"\b[a-z]+\.[a-z_]+\b(?<!\.fr)(?<!\.gouv)",  # dotted codes: dossier.read, demande.read_refused
    r"\b\d{4}-\d{2}\b(?!-)",  # an ISO month (2026-11), not an ISO date
    r"\b(?:None|True|False|null|undefined|NaN)\b",
    r"\b(?:active|notice|forced|pending|draft|submitted)\b",
    r"\b(?:FRST|RCUR|OOFF|FNAL|pain\.00[18]|camt\.05[34])\b",  # SEPA codes
]
ENGLISH = {
    "the",
    "and",
    "with",
    "from",
    "this",
    "that",
    "your",
    "you",
    "not",
    "found",
    "please",
    "click",
    "submit",
    "save",
    "cancel",
    "delete",
    "search",
    "next",
    "previous",
    "home",
    "login",
    "logout",
    "password",
    "user",
    "account",
    "settings",
    "help",
    "error",
    "request",
    "server",
    "yes",
    "back",  # not "file"
    "send",
    "upload",
    "download",
    "amount",
    "date",
    "state",
    "status",
    "payment",
    "child",
    "children",
    "parent's",
    "show",
    "hide",
    "edit",
    "view",
    "list",
    "name",
    "none",
    "welcome",
    "sign",
    "out",
    "in",
    "of",
    "to",
    "is",
    "are",
    "be",
    "or",
}  # fmt: skip ("due", "file", "page" are French too)
# French words that are also on the list above, as the checker would read them.
FRENCH_ALSO = {"date", "parent's", "in", "out", "or"}  # "date" is French; "or" (conjonction); …


def language_problems(text: str) -> list[str]:
    """The raw codes and English words found in `text` (a page's visible text); e-mail addresses
    and web addresses are not words."""
    text = re.sub(r"\S+@\S+|https?://\S+|\b[\w-]+(?:\.[\w-]+)+\.(?:fr|invalid|org|gouv\.fr)\b", " ", text)
    found = [m.group(0) for pattern in RAW_CODES for m in re.finditer(pattern, text)]
    words = {w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)}
    found += sorted(words & (ENGLISH - FRENCH_ALSO))
    return found


def axe_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on the page shown."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_page_ok(page, where: str = "") -> None:  # type: ignore[no-untyped-def]
    where = where or page.url
    problems = axe_problems(page)
    assert not problems, f"{where}: axe-core — {problems}"
    text = page.inner_text("body")
    words = language_problems(text)
    assert not words, f"{where}: English or raw codes on screen — {words}"
