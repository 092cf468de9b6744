"""Reads of the background-task queue for the administrators' page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .redaction import mask_emails
from .tasks import REGISTRY, task_label

ERROR_CHARS = 300


@dataclass(frozen=True)
class FailedTask:
    id: str
    label: str
    arguments: str  # identifiers only (core.tasks.enqueue_on_commit)
    error: str
    attempts: int
    max_attempts: int | None
    enqueued_at: datetime
    last_attempt_at: datetime | None
    finished_at: datetime | None
    traceback: str


def error_summary(exception_class_path: str, traceback: str) -> str:
    """The exception's class and message (the traceback's last line), e-mail addresses masked."""
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    summary = lines[-1].strip() if lines else exception_class_path
    return mask_emails(summary)[:ERROR_CHARS]  # a refused recipient is quoted in the message


def _arguments(args_kwargs: dict[str, Any]) -> str:
    parts = [str(a) for a in args_kwargs.get("args", [])]
    parts += [f"{k} = {v}" for k, v in sorted(args_kwargs.get("kwargs", {}).items())]
    return ", ".join(parts) or "—"


def failed_tasks(*, limit: int = 200) -> list[FailedTask]:
    """The tasks that failed at their last attempt, the latest first."""
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by(
        "-finished_at", "-enqueued_at"
    )
    failed = []
    for row in rows[:limit]:
        info = REGISTRY.get(row.task_path)
        failed.append(
            FailedTask(
                id=str(row.id),
                label=task_label(row.task_path),
                arguments=_arguments(row.args_kwargs),
                error=error_summary(row.exception_class_path, row.traceback),
                attempts=len(row.worker_ids),
                max_attempts=info.retry.attempts if info else None,
                enqueued_at=row.enqueued_at,
                last_attempt_at=row.started_at,
                finished_at=row.finished_at,
                traceback=mask_emails(row.traceback),
            )
        )
    return failed


def waiting_retry_count() -> int:
    """Tasks back in the queue after a failed attempt (they keep their last error until the next)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(traceback="").count()
