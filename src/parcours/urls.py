from django.contrib import admin
from django.urls import include, path

from parcours.api import api

admin.site.site_header = "parcours — administration"
admin.site.site_title = "parcours"
admin.site.index_title = "Registre et comptes"

urlpatterns = [
    path("", include("parcours.core.urls")),
    path("compte/", include("parcours.accounts.urls")),
    path("", include("parcours.households.urls")),
    path("droits/", include("parcours.rights.urls")),
    path("separation/", include("parcours.separation.urls")),
    path("mes-notifications/", include("parcours.notifications.urls")),
    path("social/", include("parcours.social.urls")),
    path("taches/", include("parcours.casework.urls")),
    path("parentalite/", include("parcours.parenting.urls")),
    path("aides/", include("parcours.aid.urls")),
    path("pension-alimentaire/", include("parcours.child_support.urls")),
    path("pension-alimentaire/", include("parcours.titres.urls")),
    path("pension-alimentaire/", include("parcours.intermediation.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "parcours.core.error_pages.bad_request"
handler404 = "parcours.core.views.page_not_found"
handler500 = "parcours.core.views.server_error"
