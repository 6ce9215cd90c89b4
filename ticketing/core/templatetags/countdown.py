import math

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def seconds_until(moment) -> int:
    """Seconds from now until `moment`, rounded up (0 once it passed). Countdowns count from this,
    not from the browser's clock, which may be minutes off the server's; rounded down, a countdown
    would reach zero before the server's time is up and ask to expire a hold still alive."""
    return max(0, math.ceil((moment - timezone.now()).total_seconds())) if moment else 0
