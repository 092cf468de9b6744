from django.urls import path

from . import views

app_name = "child_support"
urlpatterns = [
    path("simuler/", views.simulate_page, name="simulate"),
]
