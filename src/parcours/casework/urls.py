from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("file/", views.queue, name="queue"),
    path("suivante/", views.take_next, name="take_next"),
    path("lot/", views.batch, name="batch"),
    path("priorites/", views.priorities, name="priorities"),
    path("priorites.csv", views.priorities_csv, name="priorities_csv"),
    path("equipes/", views.team, name="team"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/action/", views.task_action, name="task_action"),
    path("<int:pk>/attribuer/", views.task_assign, name="task_assign"),
    path("<int:pk>/suivre/", views.task_follow, name="task_follow"),
]
