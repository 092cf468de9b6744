from django.urls import path, re_path

from . import views

app_name = "child_support"
INTERMEDIATION = r"^agent/intermediations/(?P<reference>IF[0-9]{9})/"
urlpatterns = [
    path("simuler/", views.simulate_page, name="simulate"),
    path("ma-pension/", views.my_pension, name="my_pension"),
    path(
        "ma-pension/titres/<int:pk>/intermediation/",
        views.intermediation_request,
        name="intermediation_request",
    ),
    path("titre-executoire/demander/", views.titre_request_new, name="titre_request_new"),
    path("titre-executoire/<int:pk>/", views.titre_request_page, name="titre_request"),
    path("titre-executoire/<int:pk>/signer/", views.titre_request_sign_view, name="titre_request_sign"),
    path(
        "titre-executoire/<int:pk>/retirer/", views.titre_request_withdraw_view, name="titre_request_withdraw"
    ),
    path("titre-executoire/<int:pk>/titre.pdf", views.titre_pdf, name="titre_pdf"),
    path("agent/titres-executoires/", views.titre_agent_list, name="titre_agent_list"),
    path("agent/titres-executoires/<int:pk>/", views.titre_agent_detail, name="titre_agent_detail"),
    path("agent/titres-executoires/<int:pk>/decider/", views.titre_agent_decide, name="titre_agent_decide"),
    path("agent/intermediations/", views.intermediation_list, name="ifpa_list"),
    re_path(f"{INTERMEDIATION}$", views.intermediation_detail, name="ifpa_detail"),
    re_path(f"{INTERMEDIATION}fin/$", views.intermediation_end, name="ifpa_end"),
    re_path(f"{INTERMEDIATION}reprise/$", views.intermediation_reactivate, name="ifpa_reactivate"),
    re_path(f"{INTERMEDIATION}arrieres/$", views.intermediation_arrears, name="ifpa_arrears"),
    path("agent/compte-d-attente/", views.suspense_list, name="suspense"),
    path("agent/compte-d-attente/<int:pk>/affecter/", views.suspense_assign, name="suspense_assign"),
    path("agent/compte-d-attente/<int:pk>/rembourser/", views.suspense_refund, name="suspense_refund"),
]
