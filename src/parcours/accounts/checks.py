"""`check --deploy`: a weak SECRET_KEY is an error, not Django's warning (security.W009).

The key signs the sessions, the password-reset links and the CSRF tokens: a short or guessable one
lets anyone forge them. Same criteria as Django's own check, which only warns.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

MIN_LENGTH = 50
MIN_DISTINCT = 5
INSECURE_PREFIX = "django-insecure"


def secret_key_weakness(key: str) -> str | None:
    """Why the key is too weak for production, in French, or None."""
    if key.startswith(INSECURE_PREFIX):
        return f"elle commence par « {INSECURE_PREFIX} » (une clé de développement)"
    if len(key) < MIN_LENGTH:
        plural = "s" if len(key) > 1 else ""
        return f"elle n'a que {len(key)} caractère{plural}, il en faut au moins {MIN_LENGTH}"
    if len(set(key)) < MIN_DISTINCT:
        return f"elle a moins de {MIN_DISTINCT} caractères différents"
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    weakness = secret_key_weakness(str(settings.SECRET_KEY))
    if weakness is None:
        return []
    return [
        Error(
            f"SECRET_KEY est trop faible pour la production : {weakness}.",
            hint='Générez-en une, par exemple : python -c "import secrets; print(secrets.token_urlsafe(64))", '
            "et donnez-la par SECRET_KEY ou par un fichier (SECRET_KEY_FILE).",
            id="accounts.E001",
        )
    ]
