"""The navigation of the header, per role."""

from django.urls import reverse

from .rules import ROLE_HOME, Perm, has_permission

HOME = ("Accueil", "core:home")
NAVIGATION = [
    # (permission, label, url name)
    (Perm.OWN_DOSSIER, "Mon espace", "core:home"),
    (Perm.OWN_DOSSIER, "Mon dossier", "households:my_dossier"),
    (Perm.OWN_DOSSIER, "Ma pension alimentaire", "intermediation:my_pension"),
    (Perm.OWN_DOSSIER, "Soutien à la parentalité", "parenting:home"),
    (Perm.TASKS, "Mes tâches", "casework:mine"),
    (Perm.TASKS, "Liste de priorité", "casework:priorities"),
    (Perm.TASKS, "Déclarations à instruire", "separation:instruction"),
    (Perm.TASKS, "Demandes de rappel", "separation:callbacks"),
    (Perm.CHILD_SUPPORT, "Intermédiations", "intermediation:ifpa_list"),
    (Perm.CHILD_SUPPORT, "Compte d'attente", "intermediation:suspense"),
    (Perm.SOCIAL, "Signalements", "social:signalements"),
    (Perm.SOCIAL, "Mes accompagnements", "social:caseload"),
    (Perm.SOCIAL, "Aides financières", "aid:requests"),
    (Perm.SOCIAL, "Partenaires", "social:partners"),
    (Perm.DOSSIER_SEARCH, "Rechercher un dossier", "households:dossier_search"),
    (Perm.REPORTING, "Tableau de bord", "core:home"),
    (Perm.REPORTING, "Budgets des aides", "aid:budgets"),
    (Perm.REFERRALS, "Orientations reçues", "social:referrals"),
    (Perm.REFERRALS, "Séances de parentalité", "parenting:agenda"),
    (Perm.AUDIT_READ, "Journal d'audit", "accounts:audit_log"),
    (Perm.ADMIN, "Tâches en échec", "core:failed_tasks"),
    (Perm.ADMIN, "Administration", "admin:index"),
]


def nav_items_for(role: str | None, path: str) -> list[dict[str, str]]:
    """The header's links for a role (None: signed out), each URL once.

    The role's own home item ("Mes tâches", "Tableau de bord", ...) comes first, in place of
    "Accueil". The link of the page shown carries aria-current="page"; the link of the section
    it belongs to ("Rechercher un dossier" on a dossier's page) carries aria-current="true".
    """
    links: dict[str, str] = {}  # url -> label, in the order of NAVIGATION
    if role is not None:
        for perm, label, url_name in NAVIGATION:
            if has_permission(role, perm):
                links.setdefault(reverse(url_name), label)
    home = reverse(ROLE_HOME.get(role or "", HOME[1]))
    links = {home: links.pop(home, HOME[0]), **links}  # the home link always comes first
    items = []
    for url, label in links.items():
        current = "page" if path == url else "true" if url != home and path.startswith(url) else ""
        items.append({"label": label, "url": url, "current": current})
    return items


def navigation(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    return {"nav_items": nav_items_for(role, request.path)}
