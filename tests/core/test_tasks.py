"""Background tasks with the real database backend: queued on commit, run by the backend's worker code,
retried with exponential backoff, and the last failure listed for administrators."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parcours.accounts.models import Role
from parcours.core.selectors import error_summary, failed_tasks
from parcours.core.tasks import DEFAULT_RETRY, RetryPolicy, enqueue_on_commit, run_ready_tasks
from tests.accounts.helpers import sign_in_verified, user_with_role

from . import task_examples

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueue(django_capture_on_commit_callbacks):
    """Queue a task as a committed service would (the test's own transaction never commits)."""

    def queue(task, **ids):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(task, **ids)

    return queue


def test_the_default_policy_waits_longer_after_each_failure_then_gives_up():
    delays = [DEFAULT_RETRY.delay_after(n) for n in range(1, 7)]
    assert delays == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
        timedelta(minutes=32),
        timedelta(minutes=128),
        None,
    ]
    assert RetryPolicy(attempts=1).delay_after(1) is None


def test_a_task_is_queued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(task_examples.note, item_id=7)
        assert not DBTaskResult.objects.exists()  # not before the commit
    row = DBTaskResult.objects.get()
    assert (row.status, row.args_kwargs) == ("READY", {"args": [], "kwargs": {"item_id": 7}})


def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(task_examples.note, item_id=7)
        raise RuntimeError("rolled back")
    assert callbacks == [] and not DBTaskResult.objects.exists()


@pytest.mark.parametrize("value", ["jean.dupont@exemple.fr", 7.0, True, None])
def test_only_identifiers_go_into_the_queue(value):
    with pytest.raises(TypeError):
        enqueue_on_commit(task_examples.note, item_id=value)


def test_the_worker_runs_a_ready_task_once(enqueue):
    task_examples.CALLS.clear()
    enqueue(task_examples.note, item_id=3)
    assert run_ready_tasks() == 1 and run_ready_tasks() == 0
    row = DBTaskResult.objects.get()
    assert (row.status, row.return_value, task_examples.CALLS) == ("SUCCESSFUL", 3, [3])


def _due_now():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_failed_attempt_is_retried_later_with_a_longer_wait_until_it_succeeds(enqueue):
    enqueue(task_examples.flaky, item_id=5)
    before = timezone.now()
    assert run_ready_tasks() == 1
    row = DBTaskResult.objects.get()
    # Back in the queue, not before 30 s, keeping the error of the attempt; not run again yet.
    assert row.status == "READY" and len(row.worker_ids) == 1
    assert before + timedelta(seconds=30) <= row.run_after <= timezone.now() + timedelta(seconds=30)
    assert row.exception_class_path == "builtins.ConnectionError" and "injoignable" in row.traceback
    assert run_ready_tasks() == 0 and failed_tasks() == []

    _due_now()
    before = timezone.now()
    assert run_ready_tasks() == 1
    row.refresh_from_db()
    assert row.status == "READY" and len(row.worker_ids) == 2
    assert row.run_after >= before + timedelta(minutes=2)

    _due_now()
    assert run_ready_tasks() == 1
    row.refresh_from_db()
    assert (row.status, row.return_value, len(row.worker_ids)) == ("SUCCESSFUL", 5, 3)
    assert row.traceback == ""


def test_the_last_failed_attempt_stays_failed_and_is_listed_without_personal_data(enqueue):
    enqueue(task_examples.broken, item_id=9)
    run_ready_tasks()
    _due_now()
    run_ready_tasks()
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED" and len(row.worker_ids) == 2
    _due_now()
    assert run_ready_tasks() == 0  # given up: never run again
    [listed] = failed_tasks()
    assert listed.label == "Exemple : échoue toujours"
    assert listed.arguments == "item_id = 9"
    assert (listed.attempts, listed.max_attempts) == (2, 2)
    assert listed.error == "ValueError: Rien à faire pour l'élément 9 ([adresse masquée])"
    assert "marie@exemple.fr" not in listed.traceback
    assert listed.finished_at is not None and listed.last_attempt_at is not None


def test_error_summary_without_traceback_is_the_exception_class():
    assert error_summary("smtplib.SMTPRecipientsRefused", "") == "smtplib.SMTPRecipientsRefused"


def test_administrators_see_the_failed_tasks_in_french(client, enqueue):
    enqueue(task_examples.broken, item_id=9)
    run_ready_tasks()
    _due_now()
    run_ready_tasks()
    enqueue(task_examples.flaky, item_id=4)
    run_ready_tasks()  # failed once, waiting for its next attempt
    sign_in_verified(client, user_with_role(Role.ADMIN))
    html = client.get("/administration/taches-en-echec/").content.decode()
    assert "Exemple : échoue toujours" in html and "item_id = 9" in html and "2 sur 2" in html
    assert "Exemple : échoue deux fois" not in html  # it will be retried: not failed for good
    assert "1 tâche en attente d" in html
    assert "@exemple.fr" not in html


def test_the_failed_tasks_page_is_for_administrators_only(client):
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS))
    assert client.get("/administration/taches-en-echec/").status_code == 403


def test_logs_leave_with_email_addresses_masked(settings):
    import logging
    import sys

    from parcours.core.redaction import MaskEmails

    try:
        raise ConnectionError("destinataire refusé : jean.dupont@exemple.fr")
    except ConnectionError:
        record = logging.LogRecord(
            "django.tasks", logging.ERROR, __file__, 1, "Échec pour %s", ("marie@exemple.fr",), sys.exc_info()
        )
    assert MaskEmails().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "@" not in text and "Échec pour [adresse masquée]" in text and "ConnectionError" in text
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["mask_emails"]


def test_every_django_log_record_goes_through_the_masking_handler():
    import logging

    from parcours.core.redaction import MaskEmails

    assert logging.getLogger("django").handlers == []  # Django's unfiltered console handler is gone
    ours = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert ours and all(any(isinstance(f, MaskEmails) for f in h.filters) for h in ours)
