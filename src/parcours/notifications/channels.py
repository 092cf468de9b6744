"""The two ways a notification leaves: e-mail through Django's mail backend (SMTP in production), SMS
through an `SmsGateway` named by `settings.SMS_BACKEND`.

No SMS operator can be reached from here, so the gateway of the demo and the tests is a local
stand-in with the interface an operator's client would have (`send(to=..., text=...)` returns the
operator's message id, raises on refusal): `LocalSmsGateway` appends each SMS, as an operator would
receive it, to a JSON-lines outbox file. A production gateway is one class with the same method.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

MOBILE = re.compile(r"^\+33[67]\d{8}$")


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> str: ...


class LocalSmsGateway:
    """The stand-in operator: one JSON line per SMS in `settings.SMS_OUTBOX`."""

    def __init__(self, outbox: Path | None = None) -> None:
        self.outbox = Path(outbox or settings.SMS_OUTBOX)

    def send(self, *, to: str, text: str) -> str:
        if not MOBILE.match(to):
            raise ValueError("Numéro de portable invalide.")
        message_id = f"local-{secrets.token_hex(8)}"
        self.outbox.parent.mkdir(parents=True, exist_ok=True)
        line = {"id": message_id, "to": to, "text": text, "at": timezone.now().isoformat()}
        with self.outbox.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return message_id

    def sent(self) -> list[dict[str, str]]:
        if not self.outbox.exists():
            return []
        return [json.loads(line) for line in self.outbox.read_text(encoding="utf-8").splitlines() if line]


def sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_BACKEND)()


def email_send(*, to: str, subject: str, body: str) -> str:
    """Send one plain-text e-mail; its Message-ID is the reference kept."""
    message = EmailMessage(subject=subject, body=body, to=[to])
    message.extra_headers["Message-ID"] = f"<{secrets.token_hex(12)}@{settings.EMAIL_DOMAIN}>"
    message.send()
    return message.extra_headers["Message-ID"]


def mobile_normalized(raw: str) -> str | None:
    """A French mobile number as +33XXXXXXXXX, or None: 06 12 34 56 78, 0612345678, +33 6 12 34 56 78."""
    digits = re.sub(r"[\s.\-]", "", raw)
    if re.fullmatch(r"0[67]\d{8}", digits):
        digits = "+33" + digits[1:]
    return digits if MOBILE.match(digits) else None


def masked(address: str) -> str:
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}…@{domain}"
    return f"{address[:4]} ** ** ** {address[-2:]}"
