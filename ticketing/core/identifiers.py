"""Venezuelan identifiers: RIF (with its check digit). Cédulas and phones join here later."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ve import rif as stdnum_rif


def normalize_rif(value: str) -> str:
    """Return the RIF as `X-NNNNNNNN-D`, or raise ValidationError with a message for the user.

    Accepts any case, with or without dashes, dots and spaces (`j312948469`, `J-31294846-9`).
    """
    raw = re.sub(r"[\s.\-]", "", value or "")
    if not raw:
        raise ValidationError(_("Indique el RIF."), code="required")
    try:
        compact = stdnum_rif.validate(raw)
    except InvalidChecksum:
        raise ValidationError(
            _("El dígito verificador del RIF %(rif)s no es válido."),
            code="rif_checksum",
            params={"rif": (value or "").strip()},
        ) from None
    except StdnumError:
        raise ValidationError(
            _(
                "RIF no válido: use una letra (V, E, J, P o G), 8 dígitos y el dígito "
                "verificador, p. ej. J-31294846-9."
            ),
            code="rif_format",
        ) from None
    return f"{compact[0]}-{compact[1:9]}-{compact[9]}"


def validate_rif(value: str) -> None:
    normalize_rif(value)
