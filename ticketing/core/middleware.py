from django.http import JsonResponse

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
