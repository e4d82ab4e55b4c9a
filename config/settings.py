"""Aid Ledger settings: everything that differs between machines comes from the environment.

Development (the default, DEBUG=1) runs with no configuration at all on an SQLite file.
Production (DEBUG=0) refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from ledger.currencies import MINOR_UNITS

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
PORT = env_int("PORT", default=8000, minimum=1, maximum=65535)

# How many reverse proxies stand in front (each appends to X-Forwarded-For): the client is the
# address the outermost of them saw. 0: REMOTE_ADDR, and X-Forwarded-For is ignored (a client
# could write anything there). Used by the throttle and the login lockout (aid.clients).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", default=0, minimum=0, maximum=20)

if not DEBUG:
    missing = [name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value]
    if missing:
        raise ImproperlyConfigured(f"DEBUG=0 needs {' and '.join(missing)} set in the environment.")
else:
    # A development key: never used with DEBUG=0, where SECRET_KEY must be set.
    SECRET_KEY = SECRET_KEY or "dev-only-not-secret-aid-ledger"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "ledger",
    "aid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads the database: NUL bytes are refused, a lost database is a 503.
    "aid.guard.GuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An unknown query parameter under /api/v1/ is a 400 naming it (the schema lists the known ones).
    "aid.api.known_params.UnknownParameterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Once the user is known: readers' requests read from a replica (when there are any) ...
    "aid.serving.replicas.ReplicaReadsMiddleware",
    # ... and are answered from the shared cache (editors bypass both), with 304s and Cache-Control.
    "aid.serving.cache.SharedCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aid.charts.freshness.rates_freshness",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", default=60),
    )
}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL.")

# Read replicas (aid.serving.replicas): readers' requests read from one of them, writes and
# editors from the primary. In a test run each is a mirror of the test database.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
    if not _url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS: {_url!r} is not a postgres:// URL.")
    DATABASES[f"replica_{_number}"] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], test_options={"MIRROR": "default"}
    )
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["aid.serving.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out user+address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
# Per user AND address: a guesser is stopped without letting anyone lock a colleague out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "aid.clients.client_address"
AXES_LOCKOUT_CALLABLE = "aid.admin.lockout.locked_out"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js from the installed `plotly` package (4.8 MB, kept out of git): charts/plotly.min.js
    "aid.charts.finders.PlotlyFinder",
]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Releases (SPEC §10): written once, never changed. Local files by default (read-only);
# production may name any Django storage here, e.g. an S3-compatible store (README).
RELEASES_ROOT = Path(env_str("RELEASES_ROOT", str(BASE_DIR / "media" / "releases")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": RELEASES_ROOT, "file_permissions_mode": 0o444},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Only the embeddable chart pages lift this (per view); everything else may not be framed.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)

# HTTPS=1: the site is only served over HTTPS (by itself or by the proxies in front of it).
HTTPS = env_bool("HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload flag only allows a later submission to the browsers' list; it enrolls nothing.
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    if TRUSTED_PROXIES:
        # Only a proxy we trust may say the request came in over HTTPS; without one, a client could.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every response: scripts only from the site itself (plotly.js is
# served from /static/, no CDN). Styles also allow 'unsafe-inline' because plotly.js draws by
# injecting a <style> element and style="" attributes on its SVG at run time (and the admin's
# change list has an inline <style>); inline styles cannot run code. Images allow data: for
# plotly's "download as PNG" and Swagger UI's icons. Only /embed/ may be framed (aid.charts.views.embed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

API_ANON_THROTTLE = env_str("API_ANON_THROTTLE", "600/minute")
# Where `load_ecb_rates --fetch` downloads the ECB's current reference rates (SPEC §3).
ECB_RATES_URL = env_str("ECB_RATES_URL", "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml")

# The shared cache (throttle counts, cached responses): Redis when CACHE_URL is set, so every
# gunicorn worker counts against the same limit; else each process keeps its own memory cache.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} is not a redis://, rediss:// or unix:// URL.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # Several sites (or test runs) can share one Redis database without sharing counters.
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "aid-ledger"),
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Public pages and API reads (aid.serving.cache): how long a browser, CDN or proxy may keep an
# answer without asking (max-age), and then serve it while it asks again in the background
# (stale-while-revalidate). Our own cache needs neither: it is keyed on the ledger version.
CACHE_MAX_AGE = env_int("CACHE_MAX_AGE", default=60)
CACHE_STALE_WHILE_REVALIDATE = env_int("CACHE_STALE_WHILE_REVALIDATE", default=300)
# How long an answer stays in the shared cache (entries of older ledger versions are never read again).
RESPONSE_CACHE_SECONDS = env_int("RESPONSE_CACHE_SECONDS", default=3600, minimum=1)
# RESPONSE_CACHE=0 computes every answer (ETag, 304 and Cache-Control stay): for benchmarks that
# time the computation, and for ruling the cache out when something looks stale.
RESPONSE_CACHE = env_bool("RESPONSE_CACHE", default=True)
# Streamed answers (the ledger CSVs) and answers over the shared cache's 4 MB are kept as files
# here, per ledger version (aid.serving.file_cache); empty: computed every time. Per web host.
ANSWER_FILES_DIR = env_str("ANSWER_FILES_DIR", str(BASE_DIR / "media" / "answers"))
ANSWER_FILES_MAX_MB = env_int("ANSWER_FILES_MAX_MB", default=2048, minimum=1)

# Target currencies whose transaction-rate totals PostgreSQL keeps pre-converted (SPEC §9);
# others are exact too, computed from the daily totals, just slower on a very large ledger.
SUMMARY_FAST_CURRENCIES = [code.upper() for code in env_list("SUMMARY_FAST_CURRENCIES", ["EUR", "USD", "GBP"])]
_unknown_fast = [code for code in SUMMARY_FAST_CURRENCIES if code not in MINOR_UNITS]
if _unknown_fast:
    raise ImproperlyConfigured(f"SUMMARY_FAST_CURRENCIES: {', '.join(_unknown_fast)} is not an ISO 4217 code.")

# Other targets readers ask for (NOK, JPY, …) join the rollup on demand: the first summary in one
# is answered from the daily totals and starts holding it in the background; from then on it is as
# fast as the configured ones. Each held target adds to every write's work (its rows of each
# touched month) and to rebuild_totals: at 1M + 1M records about 10 s more per import of 100,000
# rows (README, Benchmarks), hence a cap; 0 holds none on demand (`hold_targets` still can).
SUMMARY_HELD_TARGETS_MAX = env_int("SUMMARY_HELD_TARGETS_MAX", default=4, minimum=0)
SUMMARY_HOLD_ON_DEMAND = env_bool("SUMMARY_HOLD_ON_DEMAND", default=True)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["aid.api.throttling.AnonThrottle"],
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_THROTTLE},
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Aid Ledger API",
    "DESCRIPTION": "Pledges and deliveries of military aid to Ukraine, with sources.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # validatorUrl None: Swagger UI would otherwise send the schema to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
