from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("mon-dossier/", views.my_dossier, name="my_dossier"),
    path("agent/dossiers/", views.dossier_search, name="dossier_search"),
    path("agent/dossiers/<str:numero>/", views.dossier_detail, name="dossier_detail"),
]
