from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from django_htmx.middleware import HtmxMiddleware as DjangoHtmxMiddleware

from .health import health_report

HEALTHZ_PATH = "/healthz"


class HealthzMiddleware:
    """Answers /healthz before tenant routing, so it works on any host and even when the
    database that holds the domain table is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.rstrip("/") == HEALTHZ_PATH:
            report, healthy = health_report()
            return JsonResponse(report, status=200 if healthy else 503)
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Spanish unless the person picked another language with the switch (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: counter PCs
    often run an English browser, and the product must still open in Spanish there.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in a query string or a form field is refused with 400 before any view reads it.

    PostgreSQL cannot store or compare text holding one, so a search box or a hand-read
    parameter would otherwise end in a database error; Django's form fields refuse it only where
    a form is used. No browser sends one from a real keyboard."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(_("La solicitud contiene caracteres no válidos."))
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class PageOrFragment(HtmxDetails):
    """`request.htmx`, false for htmx's history restore request.

    Views answer a fragment when `request.htmx` is true. Going back to a URL a filter pushed, htmx
    asks for the page again with HX-Request *and* HX-History-Restore-Request, and swaps the answer
    in for the whole body: it must be the full page, not the list's table."""

    def __bool__(self) -> bool:
        return super().__bool__() and not self.history_restore_request


class HtmxMiddleware(DjangoHtmxMiddleware):
    """django-htmx's middleware with PageOrFragment, and `Vary: HX-Request` on every answer: a URL
    pushed by a filter was last fetched as a fragment, and without it the browser's Back button
    shows that cached fragment as the page."""

    async_capable = False  # the product serves HTTP through WSGI

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = PageOrFragment(request)
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
