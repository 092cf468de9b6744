from django.urls import path

from .views import agent, declaration, inform, parent

app_name = "separation"
urlpatterns = [
    path("declarer/", declaration.declare, name="declare"),
    path("declarer/<slug:step>/", declaration.declare_step, name="declare_step"),
    path("demandes/<int:pk>/", parent.demande_detail, name="demande"),
    path("demandes/<int:pk>/pieces/", parent.document_add, name="document_add"),
    path("demandes/<int:pk>/messages/", parent.message_add, name="message_add"),
    path("demandes/<int:pk>/pieces/<int:document_id>/", parent.document_download, name="document"),
    path(
        "demandes/<int:pk>/pieces/<int:document_id>/verification/",
        agent.document_review,
        name="document_review",
    ),
    path("demandes/<int:pk>/<str:action>/", parent.demande_action, name="action"),
    path("instruction/", agent.instruction_list, name="instruction"),
    path("invitations/<int:pk>/", parent.invitation, name="invitation"),
    path("s-informer/", inform.inform, name="inform"),
    path("etre-rappele/", inform.callback, name="callback"),
    path("rappels/", agent.callbacks, name="callbacks"),
    path("rappels/<int:pk>/<str:action>/", agent.callback_action, name="callback_action"),
]
