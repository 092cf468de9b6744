from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parcours.core"
    label = "core"

    def ready(self) -> None:
        from django_tasks_db.compat import task_finished

        from .tasks import retry_failed_task

        # The one hook django.tasks gives after a run: the retry policy itself lives in core/tasks.py.
        task_finished.connect(retry_failed_task, dispatch_uid="parcours.core.retry_failed_task")
