"""Signed ticket QR codes: a door scanner verifies them with the organization's key alone,
without the database (offline at the venue).

Payload: `T1.<organization slug>.<ticket code>.<event id>.<signature>`, where the signature is
HMAC-SHA256 over everything before it, keyed with `Organization.ticket_signing_key`, truncated to
16 bytes and base64url-encoded without padding. Ticket codes are base64url (no dots), slugs are
lowercase letters, digits and dashes, so "." separates the parts unambiguously.
"""

import base64
import hashlib
import hmac

import segno

VERSION = "T1"
SIGNATURE_BYTES = 16


def _signature(message: str, key: str) -> str:
    digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def ticket_qr_payload(ticket, *, organization) -> str:
    message = f"{VERSION}.{organization.slug}.{ticket.code}.{ticket.event_id}"
    return f"{message}.{_signature(message, organization.ticket_signing_key)}"


def verify_ticket_qr(payload: str, *, key: str) -> dict | None:
    """`{"organization", "code", "event_id"}` for a genuine payload; None for anything else
    (tampered, signed with another key, unknown version, malformed)."""
    if not isinstance(payload, str):
        return None
    message, _dot, signature = payload.strip().rpartition(".")
    parts = message.split(".")
    if len(parts) != 4 or parts[0] != VERSION or not all(parts):
        return None
    if not hmac.compare_digest(signature.encode(), _signature(message, key).encode()):
        return None
    _version, slug, code, event_id = parts
    if not event_id.isdigit():
        return None
    return {"organization": slug, "code": code, "event_id": int(event_id)}


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code as an inline <svg> (no size attributes: size it with CSS), for HTML and PDF."""
    return segno.make(payload, error="m", micro=False).svg_inline(scale=scale, border=2, omitsize=True)
