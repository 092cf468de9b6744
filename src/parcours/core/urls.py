from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("mentions-legales/", views.legal, name="legal"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("administration/taches-en-echec/", views.failed_task_list, name="failed_tasks"),
]
