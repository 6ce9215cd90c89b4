"""View guards. Each of our views carries `required_permission`, which the role-matrix test reads."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django_htmx.http import HttpResponseClientRedirect

from .roles import Permission, user_has_permission

PLATFORM_ADMIN = "platform.admin"


def sign_in_again(request):
    """The sign-in page, then back. For an htmx request (a seat clicked after the session ended),
    the whole page goes there and comes back to the page, not to the fragment's address: a plain
    redirect would draw the sign-in page inside the cart."""
    if request.htmx:
        return HttpResponseClientRedirect(redirect_to_login(_page_of(request) or "/").url)
    return redirect_to_login(request.get_full_path())


def _page_of(request) -> str | None:
    """The page an htmx request came from (its HX-Current-URL header), when it is one of ours."""
    try:
        return request.htmx.current_url_abs_path
    except ValueError:  # not a URL at all ("http://[::1"): a forged header; browsers send the page's
        return None


def require_permission(permission: Permission):
    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return sign_in_again(request)
            if not user_has_permission(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorator


def platform_admin_required(view):
    """Platform superusers only; they exist in the public schema alone."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return sign_in_again(request)
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    guarded.required_permission = PLATFORM_ADMIN
    return guarded


def public_view(view):
    """Marks a view as open to anyone, on purpose."""
    view.required_permission = None
    return view
