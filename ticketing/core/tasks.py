from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "celery-beat-heartbeat"


@shared_task
def record_heartbeat() -> str:
    """Beat sends this every minute; the time it ran shows the worker and beat are alive."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now
