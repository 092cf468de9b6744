from django.urls import path

from . import views

app_name = "titres"
urlpatterns = [
    path("titre-executoire/demander/", views.titre_request_new, name="titre_request_new"),
    path("titre-executoire/<int:pk>/", views.titre_request_page, name="titre_request"),
    path("titre-executoire/<int:pk>/signer/", views.titre_request_sign_view, name="titre_request_sign"),
    path(
        "titre-executoire/<int:pk>/retirer/", views.titre_request_withdraw_view, name="titre_request_withdraw"
    ),
    path("titre-executoire/<int:pk>/titre.pdf", views.titre_pdf, name="titre_pdf"),
    path(
        "titre-executoire/<int:pk>/pieces/<int:document_id>/",
        views.titre_document_download,
        name="titre_document",
    ),
    path("agent/titres-executoires/", views.titre_agent_list, name="titre_agent_list"),
    path("agent/titres-executoires/<int:pk>/", views.titre_agent_detail, name="titre_agent_detail"),
    path("agent/titres-executoires/<int:pk>/decider/", views.titre_agent_decide, name="titre_agent_decide"),
]
