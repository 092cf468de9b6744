from django.urls import path, re_path

from . import views

app_name = "child_support"
urlpatterns = [
    path("simuler/", views.simulate_page, name="simulate"),
    path("ma-pension/", views.my_pension, name="my_pension"),
    path("agent/intermediations/", views.intermediation_list, name="ifpa_list"),
    re_path(
        r"^agent/intermediations/(?P<reference>IF[0-9]{9})/$",
        views.intermediation_detail,
        name="ifpa_detail",
    ),
    path("agent/compte-d-attente/", views.suspense_list, name="suspense"),
    path("agent/compte-d-attente/<int:pk>/affecter/", views.suspense_assign, name="suspense_assign"),
    path("agent/compte-d-attente/<int:pk>/rembourser/", views.suspense_refund, name="suspense_refund"),
]
