from django.core.management.base import BaseCommand
from django.utils import translation

from ticketing.core.sites import organization_url, platform_url
from ticketing.organizations.demo import (
    PLATFORM_ADMIN_EMAIL,
    PLATFORM_ADMIN_PASSWORD,
    ensure_demo_organization,
)


class Command(BaseCommand):
    help = "Crea (o repone) la organización demo y sus cuentas; se puede ejecutar varias veces."

    def handle(self, *args, **options):
        translation.activate("es")
        organization, logins = ensure_demo_organization()
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("=" * 72))
        out.write(self.style.SUCCESS(f" Organización demo: {organization.name}"))
        out.write(f"   {organization_url(organization)}")
        out.write(f"   Inicio de sesión: {organization_url(organization, '/accounts/login/')}")
        for login in logins:
            out.write(f"   {login.role:<20} {login.email:<24} {login.password}")
        out.write(self.style.SUCCESS(" Plataforma (crear y suspender organizaciones):"))
        out.write(f"   {platform_url('/platform/')}")
        out.write(f"   {'Superusuario':<20} {PLATFORM_ADMIN_EMAIL:<24} {PLATFORM_ADMIN_PASSWORD}")
        out.write(self.style.SUCCESS("=" * 72))
