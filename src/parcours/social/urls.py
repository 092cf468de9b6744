from django.urls import path

from . import views

app_name = "social"
urlpatterns = [path("signalements/", views.signalements, name="signalements")]
