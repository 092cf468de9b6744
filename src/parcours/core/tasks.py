"""Background tasks: Django's `django.tasks`, stored in the database by django-tasks-db and run by its
worker (`python -m parcours db_worker`). What parcours adds, for every app:

- `background_task`: declares a task with a French label (shown to administrators) and a retry policy;
- `enqueue_on_commit`: a task is queued only once the transaction commits (a rolled-back change sends
  no e-mail and renders no letter), and its arguments are identifiers only: the queue keeps them after
  the run and shows them on the failures page, so no personal data goes into it;
- the retry policy: the backend runs each task once; a task that fails goes back to the queue after an
  exponential delay, until its last attempt, which stays failed and is listed for the administrators
  (`core.selectors.failed_tasks`). The row keeps its last error while it waits for the next attempt;
- `run_ready_tasks`: runs the queue now, in this process, with the backend's own worker code (tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

try:
    from django.tasks import Task, task
except ImportError:  # Django 5.2 (Python 3.11): the django-tasks backport
    from django_tasks import Task, task  # type: ignore[no-redef]

from django_tasks_db.compat import TaskResultStatus

logger = logging.getLogger("parcours.tasks")


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` runs in all (the first included); after the n-th failure the task waits
    `first_delay * factor ** (n - 1)`: by default 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then gives up
    (about 2 h 50 in all: long enough for a mail server's restart, short enough to be seen the same day)."""

    attempts: int = 6
    first_delay: timedelta = timedelta(seconds=30)
    factor: int = 4

    def delay_after(self, attempt: int) -> timedelta | None:
        """The wait before the next attempt once attempt number `attempt` has failed; None: no more."""
        if attempt >= self.attempts:
            return None
        return self.first_delay * self.factor ** (max(attempt, 1) - 1)


DEFAULT_RETRY = RetryPolicy()
NO_RETRY = RetryPolicy(attempts=1)


@dataclass(frozen=True)
class TaskInfo:
    label: str
    retry: RetryPolicy


# Every task declared with `background_task`, by its module path (as the queue stores it).
REGISTRY: dict[str, TaskInfo] = {}


def background_task(*, label: str, retry: RetryPolicy = DEFAULT_RETRY, **options: Any) -> Callable[..., Task]:
    """`@task(**options)`, plus the French label and the retry policy of the task."""

    def declare(func: Callable[..., Any]) -> Task:
        declared = task(**options)(func)
        REGISTRY[declared.module_path] = TaskInfo(label=label, retry=retry)
        return declared

    return declare


def task_label(task_path: str) -> str:
    info = REGISTRY.get(task_path)
    return info.label if info else task_path.rsplit(".", 1)[-1]


def enqueue_on_commit(queued: Task, **ids: int) -> None:
    """Queue `queued(**ids)` once the current transaction commits (at once outside a transaction).

    Arguments are identifiers only (integers): the task reads the rest from the database when it runs,
    so it sees the committed state, and the queue holds no name, address or e-mail."""
    for name, value in ids.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(
                f"Task argument {name!r} must be an integer identifier, not {type(value).__name__}."
            )
    transaction.on_commit(partial(queued.enqueue, **ids))


def retry_failed_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """`task_finished` receiver: a failed task with attempts left goes back to the queue, later."""
    if task_result.status != TaskResultStatus.FAILED or not hasattr(task_result, "db_result"):
        return  # succeeded, or not a task of the database backend
    info = REGISTRY.get(task_result.task.module_path)
    delay = info.retry.delay_after(task_result.attempts) if info else None
    if delay is None:
        logger.error(
            "Task %s (%s) failed for good after %d attempt(s).",
            task_result.id,
            task_result.task.module_path,
            task_result.attempts,
        )
        return
    from django_tasks_db.models import DBTaskResult

    run_after = timezone.now() + delay
    # The error of this attempt stays on the row (exception class, traceback) until the next one.
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "Task %s (%s) failed, attempt %d; next attempt at %s.",
        task_result.id,
        task_result.task.module_path,
        task_result.attempts,
        run_after.isoformat(),
    )


def run_ready_tasks(*, worker_id: str = "en-ligne") -> int:
    """Run every task that is ready now, in this process, as `db_worker` runs one (claim, run, record,
    `task_finished`): for tests and one-off runs; production runs the worker. Returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with transaction.atomic():
            ready = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if ready is not None:
                ready.claim(worker_id)
        if ready is None:
            return count
        worker.run_task(ready)
        count += 1
