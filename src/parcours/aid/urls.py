from django.urls import path

from . import views

app_name = "aid"
urlpatterns = [
    path("", views.requests, name="requests"),
    path("nouvelle/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/decision/", views.request_decide, name="decide"),
    path("<int:pk>/retrait/", views.request_withdraw, name="withdraw"),
    path("commission/", views.committee, name="committee"),
    path("budgets/", views.budgets, name="budgets"),
    path("versements/", views.payments, name="payments"),
    path("versements/<int:pk>/fichier.xml", views.batch_file, name="batch_file"),
]
