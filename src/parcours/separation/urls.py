from django.urls import path

from . import views

app_name = "separation"
urlpatterns = [
    path("declarer/", views.declare, name="declare"),
    path("demandes/<int:pk>/", views.demande_detail, name="demande"),
    path("demandes/<int:pk>/pieces/", views.document_add, name="document_add"),
    path("demandes/<int:pk>/messages/", views.message_add, name="message_add"),
    path("demandes/<int:pk>/pieces/<int:document_id>/", views.document_download, name="document"),
    path("demandes/<int:pk>/<str:action>/", views.demande_action, name="action"),
    path("instruction/", views.instruction_list, name="instruction"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("s-informer/", views.inform, name="inform"),
    path("etre-rappele/", views.callback, name="callback"),
    path("rappels/", views.callbacks, name="callbacks"),
]
