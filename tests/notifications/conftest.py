"""A real SMTP server (aiosmtpd) on a free local port, and Django's SMTP backend pointed at it."""

from __future__ import annotations

import email
import email.policy
import socket

import django
import pytest
from aiosmtpd.controller import Controller


def use_smtp(settings, host: str, port: int, timeout: int | None = None) -> None:
    """Django's SMTP backend on host:port (Django 6.1 names mailers in MAILERS, before: EMAIL_*)."""
    backend = "django.core.mail.backends.smtp.EmailBackend"
    if django.VERSION >= (6, 1):
        options = {"host": host, "port": port, "use_tls": False, "timeout": timeout}
        settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": options}}
    else:
        settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = backend, host, port
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, timeout


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    use_smtp(settings, "127.0.0.1", controller.port)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def sms_outbox(settings, tmp_path):
    from parcours.notifications.channels import LocalSmsGateway

    settings.SMS_OUTBOX = tmp_path / "sms.jsonl"
    settings.SMS_BACKEND = "parcours.notifications.channels.LocalSmsGateway"
    return LocalSmsGateway(settings.SMS_OUTBOX)
