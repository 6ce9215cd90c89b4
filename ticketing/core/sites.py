"""Absolute URLs of the platform and of each organization's site."""

from django.conf import settings


def organization_domain(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def site_url(host: str, path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{host}{port}{path}"


def organization_url(organization, path: str = "/") -> str:
    return site_url(organization_domain(organization.slug), path)


def platform_url(path: str = "/") -> str:
    return site_url(settings.BASE_DOMAIN, path)
