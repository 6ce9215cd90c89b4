"""Outgoing HTTP of the payment sandbox, off the request: what a real gateway does on its side."""

from urllib.parse import urlsplit, urlunsplit

import requests
from celery import shared_task


def _loopback_for_localhost(url: str) -> tuple[str, dict]:
    """`*.localhost` is the machine itself (RFC 6761) and browsers know it, but the C resolver
    does not: connect to 127.0.0.1 and keep the organization's host name in the Host header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc)), {"Host": parts.netloc}
    return url, {}


@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=True, max_retries=6)
def deliver_webhook(*, url: str, body: str, signature: str) -> int:
    """POST a signed gateway notification, retried until our endpoint accepts it."""
    target, headers = _loopback_for_localhost(url)
    response = requests.post(
        target,
        data=body.encode(),
        headers={**headers, "Content-Type": "application/json", "X-Signature": signature},
        timeout=10,
    )
    response.raise_for_status()
    return response.status_code
