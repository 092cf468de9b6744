"""The other apps' announcements of work (core.work) become tasks: casework listens, they never
import it (decision 0014). Synchronous: the task is written in the event's own transaction."""

from __future__ import annotations

from typing import Any

from parcours.core import work


def _opened(sender: str, items: list[work.Work], **_: Any) -> None:
    from .services.tasks import tasks_open

    tasks_open(sender=sender, items=items)


def _closed(sender: str, causes: list[str], outcome: str, kind: str | None = None, **_: Any) -> None:
    from .services.tasks import tasks_close

    tasks_close(causes=causes, outcome=outcome, kind=kind)


def _waiting(sender: str, causes: list[str], waiting: bool, **_: Any) -> None:
    from .services.tasks import tasks_wait

    tasks_wait(causes=causes, waiting=waiting)


def connect() -> None:
    work.work_opened.connect(_opened, dispatch_uid="casework.opened")
    work.work_closed.connect(_closed, dispatch_uid="casework.closed")
    work.work_waiting.connect(_waiting, dispatch_uid="casework.waiting")
