"""Authentication backends whose per-request user lookup comes from the cache.

Every signed-in request loads its user (`get_user`); at the counter that is one query per click.
Users are cached per organization in a GenerationCache that any save or delete of a user drops
(signals in apps.py; reactivate_staff's update() calls `user_changed` itself), race-free:
deactivation, a new role or a new password (which ends the other sessions) take effect on the
next request in every process. The entries hold what the user row holds, password hash included,
in the same Redis as the sessions.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from ticketing.core.generation_cache import GenerationCache

signed_in_users = GenerationCache("signed-in-user")


def user_changed(**signal_kwargs) -> None:
    signed_in_users.changed()


def _load_user(user_id):
    return get_user_model()._default_manager.filter(pk=user_id).first()


class CachedUserMixin:
    def get_user(self, user_id):
        user = signed_in_users.get(user_id, _load_user)
        # Checked on every request, cached or not: an inactive account is nobody.
        return user if user is not None and self.user_can_authenticate(user) else None


class CachedModelBackend(CachedUserMixin, ModelBackend):
    pass


class CachedAllauthBackend(CachedUserMixin, AuthenticationBackend):
    pass
