"""Roles and what each may do: the one place where permissions are written down.

Every view of ours declares one permission with `@require_permission` (or is marked public with
`@public_view`); tests/test_role_matrix.py walks every URL with every role against this table.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Propietario")
    MANAGER = "manager", _("Gerente")
    SELLER = "seller", _("Taquilla")
    DOOR = "door", _("Control de acceso")


class Permission(StrEnum):
    VIEW_PANEL = "panel.view"
    MANAGE_STAFF = "staff.manage"
    MANAGE_CATALOG = "catalog.manage"  # venues, events, zones, pricing
    SELL = "sales.sell"  # box office
    VALIDATE_TICKETS = "checkin.validate"
    VIEW_REPORTS = "reports.view"
    MANAGE_RATES = "rates.manage"  # BCV exchange rates
    VOID_SALES = "sales.void"
    MANAGE_FISCAL = "fiscal.manage"  # invoice series, control-number ranges


PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_PANEL: frozenset(Role),
    Permission.MANAGE_STAFF: frozenset({Role.OWNER}),
    Permission.MANAGE_CATALOG: frozenset({Role.OWNER, Role.MANAGER}),
    Permission.SELL: frozenset({Role.OWNER, Role.MANAGER, Role.SELLER}),
    Permission.VALIDATE_TICKETS: frozenset({Role.OWNER, Role.MANAGER, Role.DOOR}),
    Permission.VIEW_REPORTS: frozenset({Role.OWNER, Role.MANAGER}),
    Permission.MANAGE_RATES: frozenset({Role.OWNER, Role.MANAGER}),
    Permission.VOID_SALES: frozenset({Role.OWNER, Role.MANAGER}),
    Permission.MANAGE_FISCAL: frozenset({Role.OWNER}),
}


def role_has_permission(role: str, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]


def user_has_permission(user, permission: Permission) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.role and role_has_permission(user.role, permission)
    )
