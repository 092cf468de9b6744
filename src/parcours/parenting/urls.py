from django.urls import path

from . import views

app_name = "parenting"
urlpatterns = [
    path("", views.home, name="home"),
    path("participation/", views.scale, name="scale"),
    path("creneaux/<int:pk>/", views.book, name="book"),
    path("seances/<int:pk>/", views.booking_detail, name="booking"),
    path("seances/<int:pk>/annuler/", views.booking_cancel, name="cancel"),
    path("seances/<int:pk>/rendez-vous.ics", views.booking_ics, name="ics"),
    path("seances/<int:pk>/presence/", views.attendance, name="attendance"),
    path("seances/<int:pk>/orientation/", views.orientation, name="orientation"),
    path("structure/", views.agenda, name="agenda"),
    path("structure/<int:structure>/creneaux/", views.slot_new, name="slot_new"),
    path("pour-une-famille/", views.on_behalf, name="on_behalf"),
]
