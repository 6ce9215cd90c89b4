"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path

import environ

from .guard import parse_rif_extra_letters

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "dev-insecure-secret-key-change-me-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)

# Organizations are served at <slug>.<BASE_DOMAIN>; the platform site at BASE_DOMAIN itself.
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
SITE_SCHEME = env("SITE_SCHEME", default="http")
SITE_PORT = env("SITE_PORT", default="8000")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])

# --- Applications -------------------------------------------------------------------------------
# Apps in SHARED_APPS live in the public schema; apps in TENANT_APPS get tables in every
# organization's schema. auth/sessions/allauth/accounts are in both, so each organization has its
# own staff accounts and the platform has its own superusers.
SHARED_APPS = [
    "django_tenants",
    "ticketing.organizations",
    "daphne",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.postgres",  # the unaccent lookup (customers' name search)
    "django_htmx",
    "channels",
    "allauth",
    "allauth.account",
    "ticketing.core",
    "ticketing.accounts",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "allauth",
    "allauth.account",
    "ticketing.accounts",
    "ticketing.venues",
    "ticketing.events",
    "ticketing.pricing",
    "ticketing.customers",
    "ticketing.payments",
    "ticketing.sales",
    "ticketing.fiscal",
    "ticketing.storefront",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "organizations.Organization"
TENANT_DOMAIN_MODEL = "organizations.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "project.urls_public"
ROOT_URLCONF = "project.urls_tenant"
DEFAULT_NOT_FOUND_TENANT_VIEW = "ticketing.organizations.views.unknown_organization"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Set the search_path once per schema change, not before every query (halves round trips).
TENANT_LIMIT_SET_CALLS = True

# Static files and /healthz are answered before tenant routing: they need no organization and
# must work even for a suspended one (its "suspended" page still needs its CSS).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ticketing.core.middleware.HealthzMiddleware",
    "ticketing.organizations.middleware.CachedTenantMiddleware",
    "ticketing.organizations.middleware.SuspendedOrganizationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ticketing.core.middleware.ChosenLanguageMiddleware",
    "ticketing.core.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ticketing.core.middleware.HtmxMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ticketing.core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/ticketing"),
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Reusing connections matters (~10x throughput, shared/stack.md), but under ASGI each request may
# run its sync code in another thread, so CONN_MAX_AGE would leak one connection per thread
# until PostgreSQL refuses clients. psycopg's pool is the way: on in production (prod.py), and
# wherever DB_POOL_MAX_SIZE is set.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Parameters travel apart from the SQL (server-side binding). Statements are not prepared:
# Django turns psycopg's preparing off unless OPTIONS sets prepare_threshold. Turned on (5), it
# cut PostgreSQL's CPU per box-office sale from 4.5 to 3.3 ms with one seller, but with eight
# (benchmarks/box_office.py, nine runs each way, alternated) sales/s did not change beyond the
# noise, the server spent a little more CPU per sale, and a prepared statement fails after a migration
# changes a column it returns, until its pooled connection is replaced.
DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=0)
# Live seat-map updates published within this many seconds go out as one message per event
# (core.live.publish_changes). 0 sends each one at once.
LIVE_COALESCE_SECONDS = env.float("LIVE_COALESCE_SECONDS", default=0.15)
# Threads per server process that run HTTP requests (project/asgi.py); each holds a database
# connection while it works, so keep it at or below DB_POOL_MAX_SIZE where a pool is used.
WEB_THREADS = env.int("WEB_THREADS", default=4)
if DB_POOL_MAX_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": DB_POOL_MAX_SIZE}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A token that no longer matches (a new session in another tab) is a stale page, not a refusal.
CSRF_FAILURE_VIEW = "ticketing.core.views.csrf_failure"

# --- Redis: cache, channel layer, Celery broker ---------------------------------------------------
# An empty REDIS_URL means "no Redis": in-process cache and channel layer, eager tasks. `make run`
# chooses that (loudly) when no Redis answers; production never should.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")


def redis_backed_services(redis_url: str) -> dict:
    """Cache, channel layer and Celery broker on Redis, or in-process stand-ins without it."""
    cache_keys = {
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
    if not redis_url:
        return {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **cache_keys}},
            "CHANNEL_LAYERS": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
            "CELERY_BROKER_URL": "memory://",
            "CELERY_TASK_ALWAYS_EAGER": True,
        }
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": redis_url,
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
                **cache_keys,
            }
        },
        "CHANNEL_LAYERS": {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                # redis-py 8 defaults to a 5 s socket timeout, the same as channels-redis's
                # blocking read: idle consumers then die with TimeoutError and pages stop
                # receiving live updates. Give the socket room above the 5 s block.
                "CONFIG": {"hosts": [{"address": redis_url, "socket_timeout": 30}]},
            }
        },
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": env.bool("CELERY_TASK_ALWAYS_EAGER", default=False),
    }


vars().update(redis_backed_services(REDIS_URL))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "America/Caracas"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {"task": "ticketing.core.tasks.record_heartbeat", "schedule": 60.0},
    "expire-holds": {"task": "ticketing.sales.tasks.expire_holds_everywhere", "schedule": 30.0},
}

# --- Accounts (django-allauth) ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, with the signed-in user cached (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "ticketing.accounts.backends.CachedModelBackend",
    "ticketing.accounts.backends.CachedAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "ticketing.accounts.adapter.StaffAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# An invited owner or seller who chooses a password with the first-login link is signed in and
# goes to the panel, instead of a "password changed" page with nowhere to go.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Failed logins are throttled per account and per address (counters live in the tenant's cache
# namespace, so one organization's attackers do not lock out another's staff).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="5/5m/key,20/5m/ip"),
    "reset_password": "5/m/ip,3/m/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "after_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# RIF letters python-stdnum does not know, each with its value in the check digit ("C=24,X=28").
# The domain notes give C (consejos comunales) = 24 from a single source, so it is a setting: an
# empty value turns it off. core.identifiers reads it.
RIF_EXTRA_LETTERS = parse_rif_extra_letters(env("RIF_EXTRA_LETTERS", default="C=24"))

# Control numbers from a digital printing house (imprenta digital, PA 102), when one is hired.
DIGITAL_PRINTER_URL = env("DIGITAL_PRINTER_URL", default="")
DIGITAL_PRINTER_TOKEN = env("DIGITAL_PRINTER_TOKEN", default="")
DIGITAL_PRINTER_TIMEOUT = env.float("DIGITAL_PRINTER_TIMEOUT", default=10.0)
# Signs and verifies the online card gateway's webhooks (the sandbox gateway, for now).
PAYMENT_GATEWAY_SECRET = env("PAYMENT_GATEWAY_SECRET", default="dev-sandbox-gateway-secret")
# The sandbox card gateway posts its verdict on a pending card this many seconds later.
PAYMENT_SANDBOX_WEBHOOK_SECONDS = env.int("PAYMENT_SANDBOX_WEBHOOK_SECONDS", default=15)

# Online sales: limits so that one visitor cannot hold a venue (seats per order are per event).
ONLINE_MAX_ACTIVE_HOLDS = env.int("ONLINE_MAX_ACTIVE_HOLDS", default=2)  # per browser session
ONLINE_HOLD_RATE = env("ONLINE_HOLD_RATE", default="20/m")  # hold requests per IP (django-ratelimit)
# Payment attempts per IP: slows down anyone testing stolen card numbers against the gateway.
ONLINE_PAYMENT_RATE = env("ONLINE_PAYMENT_RATE", default="6/m")
# Behind a reverse proxy REMOTE_ADDR is the proxy: name the header that carries the client.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Taquilla <no-reply@localhost>")

# --- Internationalization -----------------------------------------------------------------------
# Source strings are Spanish (the product's first language); locale/en holds the English catalog.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["project.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Caracas"

# --- Static files (vendored: the product runs at venues with no internet) -----------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media"))
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Every request reads the session: from the cache (Redis) first, the database only on a miss.
# Writes go to both, so a Redis restart costs one query per session, never a login.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Messages travel in a signed cookie (the session only when they are too big): showing
# "Venta completada" must not cost a session write per sale.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
