from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ticketing.core.sites import organization_url
from ticketing.organizations import services


class Command(BaseCommand):
    help = "Crea una organización (esquema, subdominio y propietario) e imprime el acceso del propietario."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Subdominio, p. ej. teatro-caracas")
        parser.add_argument("--name", required=True)
        parser.add_argument("--rif", required=True, help="RIF con dígito verificador, p. ej. J-31294846-9")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--fiscal-address", required=True, help="Domicilio fiscal (sale en las facturas)")
        parser.add_argument("--special-taxpayer", action="store_true")
        parser.add_argument(
            "--owner-password",
            help="Contraseña del propietario; sin ella se imprime un enlace para elegirla.",
        )

    def handle(self, *args, **options):
        services.ensure_public_tenant()
        try:
            created = services.create_organization(
                name=options["name"],
                slug=options["slug"],
                rif=options["rif"],
                fiscal_address=options["fiscal_address"],
                owner_email=options["owner_email"],
                owner_name=options["owner_name"],
                is_special_taxpayer=options["special_taxpayer"],
                owner_password=options["owner_password"],
            )
        except ValidationError as e:
            raise CommandError("; ".join(_flatten(e))) from None
        org = created.organization
        self.stdout.write(self.style.SUCCESS(f"Organización creada: {org.name} ({org.rif})"))
        self.stdout.write(f"Sitio: {organization_url(org)}")
        self.stdout.write(f"Propietario: {created.owner.email}")
        if options["owner_password"]:
            self.stdout.write("Contraseña: la indicada con --owner-password")
        else:
            self.stdout.write(f"Enlace de primer acceso: {created.first_login_url}")


def _flatten(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {msg}" for field, msgs in error.message_dict.items() for msg in msgs]
    return error.messages
