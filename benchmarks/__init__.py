import os
import secrets


def use_production_settings() -> None:
    """What the benchmarks run Django with, unless the environment says otherwise: production
    settings, served over plain HTTP on loopback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.prod")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("SITE_SCHEME", "http")
    os.environ.setdefault("ALLOWED_HOSTS", ".localhost,localhost")
