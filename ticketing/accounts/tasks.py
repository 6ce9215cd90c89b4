from celery import shared_task

from . import services
from .models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(*, user_id: int, invited_by_id: int | None) -> None:
    user = User.objects.get(pk=user_id)
    invited_by = User.objects.filter(pk=invited_by_id).first()
    services.send_invitation_email(user=user, invited_by=invited_by)
