"""Tasks for the tests of core/tasks.py (module level, as django.tasks requires)."""

from parcours.core.tasks import RetryPolicy, background_task

CALLS: list[int] = []


@background_task(label="Exemple : note un identifiant")
def note(*, item_id: int) -> int:
    CALLS.append(item_id)
    return item_id


@background_task(label="Exemple : échoue deux fois", retry=RetryPolicy(attempts=3), takes_context=True)
def flaky(context, *, item_id: int) -> int:
    if context.attempt < 3:
        raise ConnectionError("Serveur de messagerie injoignable pour jean.dupont@exemple.fr")
    return item_id


@background_task(label="Exemple : échoue toujours", retry=RetryPolicy(attempts=2))
def broken(*, item_id: int) -> None:
    raise ValueError(f"Rien à faire pour l'élément {item_id} (marie@exemple.fr)")
