"""The navigation of the header, per role."""

from django.urls import reverse

from parcours.accounts.rules import Perm, has_permission

NAVIGATION = [
    # (permission, label, url name)
    (Perm.OWN_DOSSIER, "Mon dossier", "households:my_dossier"),
    (Perm.OWN_DOSSIER, "Déclarer ma séparation", "separation:declare"),
    (Perm.TASKS, "Mes tâches", "core:home"),
    (Perm.TASKS, "Déclarations à instruire", "separation:instruction"),
    (Perm.SOCIAL, "Signalements", "social:signalements"),
    (Perm.DOSSIER_SEARCH, "Rechercher un dossier", "households:dossier_search"),
    (Perm.REPORTING, "Tableau de bord", "core:home"),
    (Perm.REFERRALS, "Orientations reçues", "core:home"),
    (Perm.AUDIT_READ, "Journal d'audit", "accounts:audit_log"),
    (Perm.ADMIN, "Administration", "admin:index"),
]


def navigation(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    seen = set()
    for perm, label, url_name in NAVIGATION:
        if has_permission(user.role, perm) and label not in seen:
            url = reverse(url_name)
            items.append({"label": label, "url": url, "current": request.path == url})
            seen.add(label)
    return {"nav_items": items}
