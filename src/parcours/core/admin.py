from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# The backend's own admin page is in English and shows the raw arguments and return values:
# administrators read the failed tasks on parcours's page instead (core.views.failed_task_list).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
