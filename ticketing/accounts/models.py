from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Permission, Role, user_has_permission


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff account. It lives in one organization's schema (or, for platform admins, in the
    public schema), so an account of one organization cannot sign in on another's domain."""

    email = models.EmailField(_("correo electrónico"), unique=True)  # stored lower-case
    full_name = models.CharField(_("nombre completo"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, blank=True)
    is_active = models.BooleanField(_("activa"), default=True)
    is_staff = models.BooleanField(_("acceso al admin de Django"), default=False)
    date_joined = models.DateTimeField(_("fecha de alta"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("cuenta de personal")
        verbose_name_plural = _("cuentas de personal")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def has_role_permission(self, permission: Permission) -> bool:
        return user_has_permission(self, permission)

    @property
    def invitation_pending(self) -> bool:
        """Invited, but has not chosen a password yet."""
        return not self.has_usable_password()
