"""Settings, read from the environment with safe demo defaults.

Production sets at least SECRET_KEY (or SECRET_KEY_FILE), DEBUG=false, ALLOWED_HOSTS and DATABASE_URL;
`make serve` runs these production settings on this machine (docs/decisions/0013-production-server.md).
"""

import os
from pathlib import Path

import dj_database_url
import django
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PARCOURS_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEMO_SECRET = "demo-only-insecure-key-never-use-in-production"  # noqa: S105
# SECRET_KEY, or SECRET_KEY_FILE: a file holding it (`make serve` generates var/secret_key), which keeps the
# secret out of the environment and of the command lines.
if "SECRET_KEY" in os.environ:
    SECRET_KEY = os.environ["SECRET_KEY"]
elif os.environ.get("SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
else:
    SECRET_KEY = _DEMO_SECRET if DEBUG else ""
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEMO_SECRET):
    raise ImproperlyConfigured("SECRET_KEY doit être défini, et secret, quand DEBUG est désactivé.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# With DEBUG on, a server error shows the French 500 page rather than Django's traceback (off to debug
# in the browser); the French 404 page is shown either way. core/middleware_errors.py.
PARCOURS_FRIENDLY_ERRORS = env_bool("PARCOURS_FRIENDLY_ERRORS", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    # The API's documentation page with its own static files (the default loads them from a CDN,
    # which the Content-Security-Policy refuses).
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "dsfr",
    "widget_tweaks",
    # Before parcours.core: core's admin replaces the backend's English admin page by its own page.
    "django_tasks_db",
    *(["django_tasks"] if django.VERSION < (6, 0) else []),  # the backport, on Django 5.2
    "parcours.core",
    "parcours.accounts",
    "parcours.households",
    "parcours.notifications",
    "parcours.rights",
    "parcours.separation",
    "parcours.social",
    "parcours.child_support",
    "parcours.titres",
    "parcours.intermediation",
    "parcours.casework",
    "parcours.parenting",
    "parcours.aid",
    "parcours.outreach",
    "parcours.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, served by the application server itself (compressed, cached forever by name).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The security headers of every page and answer: Content-Security-Policy, Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    "parcours.core.security_headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "parcours.accounts.middleware.StaffTwoFactorMiddleware",
    # Every page a staff member reads is audited (lists and /admin/ included).
    "parcours.accounts.middleware.StaffReadAudit",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parcours.core.middleware_errors.FrenchErrorPagesMiddleware",
    # Per client address, on the anonymous pages that cost (PARCOURS_RATE_LIMITS below).
    "parcours.core.rate_limits.PageRateLimitMiddleware",
    # Last, as django-axes asks: it watches the login attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parcours.urls"
WSGI_APPLICATION = "parcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
                "parcours.accounts.context_processors.navigation",
            ],
            # An unknown variable shows loudly in tests instead of silently rendering "".
            "string_if_invalid": os.environ.get("TEMPLATE_STRING_IF_INVALID", ""),
        },
    }
]

# Database: DATABASE_URL, defaulting to the embedded SQLite file of the demo.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parcours.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets pages read while a batch writes; IMMEDIATE avoids "database is locked" upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache counts the rate limits (and nothing else so far). In one process (the demo, the tests) the
# local memory; in production a cache every worker shares: the database's own table by default
# (`python -m parcours createcachetable`, run by `make serve`), or PARCOURS_CACHE=redis://… (redis-py).
_cache = os.environ.get("PARCOURS_CACHE", "locmem" if DEBUG else "database")
if _cache == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache == "database":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "parcours_cache"}
    }
elif _cache.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache}}
else:
    raise ImproperlyConfigured("PARCOURS_CACHE vaut locmem, database ou une adresse redis://.")

# The number of reverse proxies in front of the application server: 0, the client's address is the
# connection's; N, the Nth address from the right of X-Forwarded-For (what the nearest proxy saw), never a
# value the client wrote itself. Used by the rate limits and the sign-in lockout (core/rate_limits.py).
PARCOURS_PROXY_COUNT = int(os.environ.get("PARCOURS_PROXY_COUNT", "0"))


def _rate_limits(defaults: dict[str, str]) -> dict[str, str]:
    """The defaults, with PARCOURS_RATE_LIMITS="scope=30/min,scope=off" overriding some."""
    limits = dict(defaults)
    for item in env_list("PARCOURS_RATE_LIMITS", ""):
        scope, _, rate = item.partition("=")
        limits[scope.strip()] = "" if rate.strip() in {"", "off"} else rate.strip()
    return limits


# Rate limits per client address, "N/s", "N/min", "N/h" or "N/day" (core/rate_limits.py); a key is an API
# scope (the throttle of an endpoint) or a page's URL name (its POSTs counted); "" turns one off. The
# rights simulation costs about 120 ms of CPU a call, the child-support one a few milliseconds.
PARCOURS_RATE_LIMITS = _rate_limits(
    {
        "rights-simulation": "30/min",
        "child-support-simulation": "60/min",
        "child_support:simulate": "60/min",
    }
)

# Background tasks (django.tasks): stored in the database by django-tasks-db, run by its worker
# (`python -m parcours db_worker`, started by `make demo`). Retries: parcours.core.tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login rate limiting (django-axes): after 5 failures for a username from one address, 15 minutes lock.
# And one address trying passwords across usernames: 20 failures in 15 minutes, whatever the usernames
# (accounts/lockout.py gives each lockout parameter its own limit).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
PARCOURS_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("PARCOURS_LOGIN_IP_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "parcours.accounts.lockout.LoginLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "parcours.core.rate_limits.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

# Staff two-factor authentication (TOTP): required in production, optional in the demo.
PARCOURS_STAFF_2FA_REQUIRED = env_bool("PARCOURS_STAFF_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "parcours"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# With DEBUG off, `collectstatic` writes compressed copies named by their content, which whitenoise
# serves with a cache of a year; with DEBUG on (the demo, the tests), the files are found in the apps.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# collectstatic rewrites the url() of the DSFR's stylesheets to the hashed names: django-dsfr's
# integrity checksums of its files no longer match them (the hashed names vouch for same-site files).
DSFR_USE_INTEGRITY_CHECKSUMS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# Private files (parents' uploads, letters) live outside the web root and are never served directly.
PRIVATE_STORAGE_ROOT = VAR_DIR / "private"

# E-mail: the console in the demo, SMTP in production (EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ...), or
# files (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend, EMAIL_FILE_PATH).
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
elif _email_backend.endswith("filebased.EmailBackend"):
    _email_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
else:
    EMAIL_BACKEND = _email_backend
    EMAIL_HOST = _email_options.get("host", "localhost")
    EMAIL_PORT = _email_options.get("port", 25)
    EMAIL_FILE_PATH = _email_options.get("file_path")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ne-pas-repondre@parcours.caf.invalid")
EMAIL_DOMAIN = DEFAULT_FROM_EMAIL.rpartition("@")[2]
# SMS: the class of the operator's gateway (parcours.notifications.channels); the local stand-in
# appends each SMS to a JSON-lines outbox. The links in e-mails start with PARCOURS_SITE_URL.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "parcours.notifications.channels.LocalSmsGateway")
SMS_OUTBOX = Path(os.environ.get("SMS_OUTBOX", str(VAR_DIR / "sms" / "outbox.jsonl")))
PARCOURS_SITE_URL = os.environ.get("PARCOURS_SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 4
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): only this site's own files, no inline script or style (the
# DSFR's icons are data: images), no framing, forms posted only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (core/security_headers.py): none of these browser features is used.
PARCOURS_PERMISSIONS_POLICY = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
]
# HTTPS: with DEBUG off, on unless PARCOURS_HTTPS=false, which only `make serve` sets, to run the production
# settings over plain http on 127.0.0.1 (Secure cookies would never come back over http).
PARCOURS_HTTPS = env_bool("PARCOURS_HTTPS", True)
if not DEBUG and PARCOURS_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No personal data in logs: only the request line and status reach the log, never bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_emails": {"()": "parcours.core.redaction.MaskEmails"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_emails"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "ERROR"},
        # Django's own console handler (DEBUG) would print django.* records, the failed tasks' included,
        # a second time and unmasked: they reach the log through the root's filtered handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "distributed": {"level": "WARNING"},
        "numexpr": {"level": "WARNING"},
    },
}

# The Caf's own bank account for the intermediation (IFPA): name, IBAN, BIC; and its SEPA creditor
# identifier (ICS) for direct debits. The defaults are fictitious, for the demo and the tests.
# Antivirus of uploaded files (core/uploads/antivirus.py): "" none, "clamd", or "package.module.callable".
PARCOURS_ANTIVIRUS = os.environ.get("PARCOURS_ANTIVIRUS", "")
PARCOURS_CLAMD_SOCKET = os.environ.get("PARCOURS_CLAMD_SOCKET", "")  # e.g. /run/clamav/clamd.ctl; else TCP
PARCOURS_CLAMD_HOST = os.environ.get("PARCOURS_CLAMD_HOST", "127.0.0.1")
PARCOURS_CLAMD_PORT = int(os.environ.get("PARCOURS_CLAMD_PORT", "3310"))
PARCOURS_CLAMD_TIMEOUT = float(os.environ.get("PARCOURS_CLAMD_TIMEOUT", "30"))

# The territory of the Caf running this instance: what it receives without a dossier belongs to it
# (suspense bank lines, call-back requests made before signing in).
PARCOURS_CAF_DEPARTEMENT = os.environ.get("PARCOURS_CAF_DEPARTEMENT", "91")
PARCOURS_CAF_ACCOUNT = (
    os.environ.get("PARCOURS_CAF_ACCOUNT_NAME", "CAF DE L'ESSONNE - ARIPA"),
    os.environ.get("PARCOURS_CAF_IBAN", "FR7630001007941234567890185"),
    os.environ.get("PARCOURS_CAF_BIC", "BDFEFRPPXXX"),
)
PARCOURS_CAF_CREDITOR_ID = os.environ.get("PARCOURS_CAF_CREDITOR_ID", "FR72ZZZ123456")
