"""Staff accounts of one organization: invitations, roles, deactivation.

Every function runs in the current tenant's schema (the request's organization).
"""

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from ticketing.core.sites import organization_url
from ticketing.organizations.selectors import current_organization

from .backends import user_changed
from .models import User
from .roles import Role


class LastOwnerError(ValidationError):
    """The organization must always keep at least one active owner."""

    def __init__(self):
        super().__init__(
            _("La organización debe conservar al menos un propietario activo."), code="last_owner"
        )


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def first_login_path(user: User) -> str:
    """Path of the page where the user chooses a password (allauth's password reset from key).

    The token is tied to the password hash and the last login, so it stops working once used.
    """
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": token},
        urlconf="project.urls_tenant",
    )


@transaction.atomic
def create_staff_account(
    *, email: str, full_name: str, role: Role | str, password: str | None = None
) -> User:
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Ya existe una cuenta con el correo %(email)s.") % {"email": email}}
        )
    user = User(email=email, full_name=full_name.strip(), role=role)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@transaction.atomic
def invite_staff(*, email: str, full_name: str, role: Role | str, invited_by: User) -> User:
    """Create the account without a password and e-mail a link to choose one."""
    user = create_staff_account(email=email, full_name=full_name, role=role)
    resend_invitation(member=user, invited_by=invited_by)
    return user


def resend_invitation(*, member: User, invited_by: User | None) -> None:
    from .tasks import send_invitation_email

    invited_by_id = invited_by.pk if invited_by else None
    # The commit may happen after the caller left this schema (create_organization does), and
    # a task runs in whatever schema is current when it is sent: pin it now.
    schema = connection.schema_name

    def send():
        with schema_context(schema):
            send_invitation_email.delay(user_id=member.pk, invited_by_id=invited_by_id)

    transaction.on_commit(send)


def send_invitation_email(*, user: User, invited_by: User | None) -> None:
    organization = current_organization()
    context = {
        "user": user,
        "invited_by": invited_by,
        "organization_name": organization.name,
        "link": organization_url(organization, first_login_path(user)),
        "role": user.get_role_display(),
    }
    subject = _("Invitación a %(organization)s") % {"organization": organization.name}
    text = render_to_string("accounts/email/invitation.txt", context)
    html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def _lock_active_owners() -> list[User]:
    # Locking every active owner row serializes concurrent demotions, so two owners cannot
    # demote each other at the same moment and leave the organization with none.
    return list(User.objects.select_for_update().filter(role=Role.OWNER, is_active=True).order_by("id"))


def _ensure_another_owner_remains(member: User) -> None:
    owners = _lock_active_owners()
    if member.role == Role.OWNER and member.is_active and all(o.id == member.id for o in owners):
        raise LastOwnerError()


@transaction.atomic
def change_role(*, member: User, role: Role | str, changed_by: User) -> User:
    if role not in Role.values:
        raise ValidationError({"role": _("Rol desconocido.")})
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.role == role:
        return member
    if role != Role.OWNER:
        _ensure_another_owner_remains(member)
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def deactivate_staff(*, member: User, deactivated_by: User) -> User:
    if member.pk == deactivated_by.pk:
        raise ValidationError(_("No puede desactivar su propia cuenta."), code="self")
    member = User.objects.select_for_update().get(pk=member.pk)
    _ensure_another_owner_remains(member)
    member.is_active = False
    fields = ["is_active"]
    if member.invitation_pending:
        # A new unusable password changes the hash the e-mailed link's token is made from: the
        # link dies now, and "Reenviar" after a reactivation sends a fresh one.
        member.set_unusable_password()
        fields.append("password")
    member.save(update_fields=fields)
    return member


@transaction.atomic
def reactivate_staff(*, member: User) -> User:
    User.objects.filter(pk=member.pk).update(is_active=True)
    user_changed()  # an update() sends no post_save
    member.refresh_from_db()
    return member


@transaction.atomic
def ensure_staff_account(*, email: str, full_name: str, role: Role | str, password: str) -> User:
    """Idempotent: the demo data can be loaded any number of times."""
    email = normalize_email(email)
    user = User.objects.filter(email=email).first()
    if user is None:
        return create_staff_account(email=email, full_name=full_name, role=role, password=password)
    user.full_name, user.role, user.is_active = full_name, role, True
    user.set_password(password)
    user.save()
    return user
