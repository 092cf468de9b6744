from django.urls import path

from . import views

app_name = "social"
urlpatterns = [
    path("signalements/", views.signalements, name="signalements"),
    path("signalements/nouveau/", views.signalement_new, name="signalement_new"),
    path("signalements/<int:pk>/", views.signalement_detail, name="signalement"),
    path("signalements/<int:pk>/action/", views.signalement_act, name="signalement_act"),
    path("signalements/<int:pk>/courrier.pdf", views.offer_letter, name="offer_letter"),
    path("accompagnements/", views.caseload, name="caseload"),
    path("accompagnements/<int:pk>/", views.accompaniment_detail, name="accompaniment"),
    path("accompagnements/<int:pk>/reattribuer/", views.reassign, name="reassign"),
    path("accompagnements/<int:pk>/<slug:what>/", views.accompaniment_post, name="accompaniment_post"),
    path("equipe/", views.team, name="team"),
    path("partenaires/", views.partners, name="partners"),
    path("orientations/", views.referrals, name="referrals"),
    path("orientations/<int:pk>/", views.referral_detail, name="referral"),
    path("orientations/<int:pk>/action/", views.referral_act, name="referral_act"),
    path("offres/<int:pk>/reponse/", views.offer_answer, name="offer_answer"),
]
