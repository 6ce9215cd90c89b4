from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def seconds_until(moment) -> int:
    """Whole seconds from now until `moment` (0 once it passed). Countdowns count from this, not
    from the browser's clock, which may be minutes off the server's."""
    return max(0, int((moment - timezone.now()).total_seconds())) if moment else 0
