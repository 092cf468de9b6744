"""The real thing once: a validation queues the letter, and `python -m parcours db_worker`, started as its
own process, renders the PDF, sends the e-mail (file backend) and stops cleanly on SIGTERM, as `make demo`
stops it. The worker reads the test database: on PostgreSQL the test database itself; on SQLite, whose
test database lives in memory, a file copy of it, copied back once the worker has stopped."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from parcours.separation import services
from parcours.separation.documents import document_bytes
from parcours.separation.models import Demande
from tests.factories import UserFactory, household

from .test_services import filled, validate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
TASKS_TABLE = DBTaskResult._meta.db_table
WAIT_SECONDS = 240


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    """The URL the worker process uses, and the SQLite file copy (None: the test database itself)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(settings["USER"] or "", safe="")
        if settings["PASSWORD"]:
            credentials += ":" + quote(settings["PASSWORD"], safe="")
        host = f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}"
        return f"postgres://{credentials}@{host}/{settings['NAME']}", None
    assert connection.vendor == "sqlite"
    if not connection.is_in_memory_db():
        return f"sqlite:///{settings['NAME']}", None
    copy = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}", copy


def _statuses(copy: Path | None) -> list[str]:
    if copy is None:
        return sorted(DBTaskResult.objects.values_list("status", flat=True))
    with sqlite3.connect(copy, timeout=30) as db:
        return sorted(row[0] for row in db.execute(f'SELECT status FROM "{TASKS_TABLE}"'))  # noqa: S608


def test_a_worker_process_renders_the_letter_and_sends_the_email(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "var" / "private"
    dossier = household(children=2, salary=Decimal("1500.00"), opened_on=date(2018, 1, 1))
    parent = UserFactory(person=dossier.memberships.get(role="allocataire").person, email="parent@exemple.fr")
    agent = UserFactory(agent=True)
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    demande = validate(demande, parent, agent)  # committed for real: the task is queued on commit
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("parcours.notifications.tasks.notification_send", "READY"),  # déclaration reçue
        ("parcours.notifications.tasks.notification_send", "READY"),  # en cours d'étude
        ("parcours.separation.tasks.notification_letter_render", "READY"),
        ("parcours.social.tasks.offer_send_task", "READY"),  # the social team's offer (signalement)
    ]
    assert not demande.documents.exists()

    url, copy = _database_url(tmp_path)
    mail = tmp_path / "mail"
    env = os.environ | {
        "DATABASE_URL": url,
        "PARCOURS_VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
    }
    command = [
        sys.executable,
        "-m",
        "parcours",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
    ]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        # the two e-mails, the letter, then the two e-mails it queued (validation, next payment),
        # the social offer and its e-mail
        while _statuses(copy) != ["SUCCESSFUL"] * 7:
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, f"the worker did not finish: {_statuses(copy)}"
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)  # as `make demo` stops it
        output = worker.communicate(timeout=60)[0].decode()
    assert worker.returncode == 0, output  # a graceful stop

    if copy is not None:
        with sqlite3.connect(copy) as source:
            source.backup(connection.connection)
    letter = Demande.objects.get(pk=demande.pk).documents.get(code="notification")
    pdf = document_bytes(letter)
    assert pdf.startswith(b"%PDF-") and letter.size == len(pdf) and letter.uploaded_by == agent
    # The file backend names its files by the second and the backend's id: two e-mails sent in the
    # same second may share a file, each followed by its separator line. Count the messages.
    text = "".join(path.read_text() for path in mail.iterdir())
    sent = [message for message in text.split("-" * 79) if message.strip()]
    assert len(sent) == 5 and all("To: parent@exemple.fr" in message for message in sent)
