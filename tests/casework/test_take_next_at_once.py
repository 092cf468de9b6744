""" "Prendre la suivante" by many agents at once never gives the same task twice (PostgreSQL: the
candidate row is locked SKIP LOCKED; everywhere: a compare-and-set assignment)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from parcours.casework.models import Task, TaskTransition, Team
from parcours.casework.services.tasks import task_take_next, tasks_open
from parcours.core.work import Kind, Work
from tests.factories import UserFactory, household


def _queue(agents: int, tasks: int) -> tuple[Team, list]:
    team = Team.objects.create(code="prestations", name="Prestations", departement="91")
    users = [UserFactory(agent=True) for _ in range(agents)]
    team.members.add(*users)
    dossiers = [household(complete=False, couple=False, children=0) for _ in range(6)]
    tasks_open(
        sender="test",
        items=[Work(Kind.RETURNED_MAIL, dossiers[i % 6].pk, f"test:{i}") for i in range(tasks)],
    )
    assert Task.objects.count() == tasks
    return team, users


@pytest.mark.django_db(transaction=True)
def test_twenty_agents_at_once_take_each_task_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SKIP LOCKED and real concurrent transactions: PostgreSQL only (SQLite serialises writers)"
        )
    _, users = _queue(agents=20, tasks=60)
    taken: dict[int, list[int]] = {u.pk: [] for u in users}
    errors: list[BaseException] = []
    start = threading.Barrier(len(users))

    def agent(user) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            while (task := task_take_next(user=user)) is not None:
                taken[user.pk].append(task.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=agent, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    all_taken = [pk for pks in taken.values() for pk in pks]
    assert sorted(all_taken) == sorted(Task.objects.values_list("pk", flat=True))  # each once
    assert max(Counter(all_taken).values()) == 1
    for user_id, pks in taken.items():
        assert set(Task.objects.filter(pk__in=pks).values_list("owner_id", flat=True)) <= {user_id}
    moves = Counter(TaskTransition.objects.filter(action="prendre").values_list("task_id", flat=True))
    assert set(moves.values()) == {1} and len(moves) == 60


@pytest.mark.django_db
def test_two_agents_in_turn_never_get_the_same_task():
    _, (first, second) = _queue(agents=2, tasks=7)
    seen = []
    for turn in range(10):
        task = task_take_next(user=first if turn % 2 else second)
        if task is None:
            break
        seen.append(task.pk)
    assert len(seen) == 7 and len(set(seen)) == 7
