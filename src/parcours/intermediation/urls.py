from django.urls import path, re_path

from . import views

app_name = "intermediation"
INTERMEDIATION = r"^agent/intermediations/(?P<reference>IF[0-9]{9})/"
urlpatterns = [
    path("ma-pension/", views.my_pension, name="my_pension"),
    path(
        "ma-pension/titres/<int:pk>/intermediation/",
        views.intermediation_request,
        name="intermediation_request",
    ),
    path("agent/intermediations/", views.intermediation_list, name="ifpa_list"),
    re_path(f"{INTERMEDIATION}$", views.intermediation_detail, name="ifpa_detail"),
    re_path(f"{INTERMEDIATION}fin/$", views.intermediation_end, name="ifpa_end"),
    re_path(f"{INTERMEDIATION}reprise/$", views.intermediation_reactivate, name="ifpa_reactivate"),
    re_path(f"{INTERMEDIATION}arrieres/$", views.intermediation_arrears, name="ifpa_arrears"),
    path("agent/compte-d-attente/", views.suspense_list, name="suspense"),
    path("agent/compte-d-attente/<int:pk>/affecter/", views.suspense_assign, name="suspense_assign"),
    path("agent/compte-d-attente/<int:pk>/rembourser/", views.suspense_refund, name="suspense_refund"),
]
