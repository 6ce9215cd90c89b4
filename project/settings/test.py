"""Tests: the real PostgreSQL and Redis, fast password hashing, tasks run in the caller."""

from .base import *  # noqa: F403
from .base import env, redis_backed_services

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests get their own Redis database, flushed between tests, never the development one.
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
vars().update(redis_backed_services(REDIS_URL))
CELERY_TASK_ALWAYS_EAGER = True
# The browser tests' server process writes mail to files the test can read.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="")
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # served from the source folders; collectstatic is for production
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = [".localhost", "localhost", "testserver"]

# Tests post the gateway's webhooks themselves (one test lets the sandbox send it, over `responses`).
PAYMENT_SANDBOX_WEBHOOK_SECONDS = None
