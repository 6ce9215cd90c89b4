"""Venezuelan identifiers: RIF (with its check digit), cédula, and mobile phone numbers.

Each `normalize_*` function returns the one stored form or raises a ValidationError whose message
is shown to the person at the counter. The rules are the ones of the shared Venezuelan domain notes
(Identification, Phones).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ve import rif as stdnum_rif

STDNUM_RIF_LETTERS = "VEJPG"  # the ones python-stdnum checks; settings.RIF_EXTRA_LETTERS adds more
RIF_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def rif_letters() -> str:
    """Every letter a RIF may start with here: python-stdnum's and the configured extra ones."""
    return STDNUM_RIF_LETTERS + "".join(sorted(set(settings.RIF_EXTRA_LETTERS) - set(STDNUM_RIF_LETTERS)))


def normalize_rif(value: str) -> str:
    """Return the RIF as `X-NNNNNNNN-D`, or raise ValidationError with a message for the user.

    Accepts any case, with or without dashes, dots and spaces (`j312948469`, `J-31294846-9`).
    """
    raw = re.sub(r"[\s.\-]", "", value or "").upper()
    if not raw:
        raise ValidationError(_("Indique el RIF."), code="required")
    if raw[0] in settings.RIF_EXTRA_LETTERS and raw[0] not in STDNUM_RIF_LETTERS:
        compact = _extra_letter_rif(raw, value)
    else:
        try:
            compact = stdnum_rif.validate(raw)
        except InvalidChecksum:
            raise _wrong_check_digit(value) from None
        except StdnumError:
            raise _malformed_rif() from None
    return f"{compact[0]}-{compact[1:9]}-{compact[9]}"


def _extra_letter_rif(raw: str, value: str) -> str:
    """A RIF of a configured letter python-stdnum does not know, checked as it checks the others:
    the letter's value plus the weighted digits, 11 less that modulo 11 (10 and 11 are 0)."""
    if not re.fullmatch(r"[A-Z]\d{9}", raw):
        raise _malformed_rif()
    total = settings.RIF_EXTRA_LETTERS[raw[0]] + sum(
        int(digit) * weight for digit, weight in zip(raw[1:9], RIF_WEIGHTS, strict=True)
    )
    if (11 - total % 11) % 11 % 10 != int(raw[9]):
        raise _wrong_check_digit(value)
    return raw


def _wrong_check_digit(value: str) -> ValidationError:
    return ValidationError(
        _("El dígito verificador del RIF %(rif)s no es válido."),
        code="rif_checksum",
        params={"rif": (value or "").strip()},
    )


def _malformed_rif() -> ValidationError:
    return ValidationError(
        _(
            "RIF no válido: use una letra (%(letters)s), 8 dígitos y el dígito verificador, "
            "p. ej. J-31294846-9."
        )
        % {"letters": get_text_list(list(rif_letters()), _("o"))},
        code="rif_format",
    )


def validate_rif(value: str) -> None:
    normalize_rif(value)


_ID_SEPARATORS = re.compile(r"[\s.\-]")
_CEDULA = re.compile(r"([VE]?)(\d{1,8})")
# A foreigner with neither cédula nor RIF buys with a passport: typed with "PAS" (or "PASAPORTE")
# before it, since its letters and digits follow no rule of their own ("P-…" is a RIF).
PASSPORT_PREFIX = "PAS-"
_PASSPORT = re.compile(r"PAS(?:APORTE)?([A-Z0-9]{5,15})")


def _compact_id(value: str | None) -> str:
    return _ID_SEPARATORS.sub("", value or "").upper()


def normalize_cedula(value: str) -> str:
    """Return the cédula as `V-12345678` (or `E-…`), or raise ValidationError.

    Accepts `v12345678`, `V-12.345.678`, `E 8.123.456`; without a letter it is a `V`. Leading zeros
    are dropped (`V-01234567` and `V-1234567` are the same person).
    """
    raw = _compact_id(value)
    if not raw:
        raise ValidationError(_("Indique la cédula."), code="required")
    match = _CEDULA.fullmatch(raw)
    if not match or int(match.group(2)) == 0:
        raise ValidationError(
            _("Cédula no válida: use V o E y hasta 8 dígitos, p. ej. V-12345678."),
            code="cedula_format",
        )
    letter, digits = match.groups()
    return f"{letter or 'V'}-{int(digits)}"


def normalize_id_document(value: str) -> str:
    """A customer's cédula, RIF or passport in its stored form (`V-12345678`, `J-31294846-9`,
    `PAS-AB1234567`).

    A passport when typed after "PAS"; a RIF when its letter is not a cédula's (J, P, G, and the
    configured ones such as C) or when 9 digits follow the letter (the last one being the check
    digit, which must be right); otherwise a cédula.
    """
    raw = _compact_id(value)
    if not raw:
        raise ValidationError(_("Indique la cédula o el RIF."), code="required")
    if passport := _PASSPORT.fullmatch(raw):
        return PASSPORT_PREFIX + passport.group(1)
    match = re.fullmatch(r"([A-Z]?)(\d+)", raw)
    if match:
        letter, digits = match.groups()
        if letter and letter in rif_letters() and letter not in "VE":  # never a cédula's
            return normalize_rif(value)
        if len(digits) == 9:
            return _nine_digits(value, letter, digits)
        if letter in ("", "V", "E") and len(digits) <= 8:
            return normalize_cedula(value)
    raise ValidationError(
        _(
            "Cédula o RIF no válido: escriba la cédula (V-12345678), el RIF con su dígito "
            "verificador (J-31294846-9) o, para un extranjero, el pasaporte con PAS delante "
            "(PAS-AB1234567)."
        ),
        code="id_document_format",
    )


def _nine_digits(value: str, letter: str, digits: str) -> str:
    """V or E and nine digits: a natural person's RIF when its check digit is right; else a
    cédula typed with a leading zero (V-012345678), or a cédula with a digit too many."""
    try:
        return normalize_rif(value)
    except ValidationError as e:
        if e.code != "rif_checksum" and letter:
            raise
        if digits.startswith("0"):
            return normalize_cedula(f"{letter}{int(digits)}")
        raise ValidationError(
            _(
                "El dígito verificador del RIF %(rif)s no es válido. Si es una cédula, tiene un "
                "dígito de más."
            ),
            code="rif_checksum",
            params={"rif": (value or "").strip()},
        ) from None


def validate_id_document(value: str) -> None:
    normalize_id_document(value)


_NATURAL_PERSON = re.compile(r"([VE])-(\d{1,8})(?:-\d)?")


def same_person_documents(document: str) -> tuple[str, str] | None:
    """For a stored cédula or natural person's RIF, (the cédula, the start of the RIF): a person's
    RIF is their cédula and a check digit, `V-11470283` and `V-11470283-4` are one person. None
    for a company, a government body or a passport."""
    match = _NATURAL_PERSON.fullmatch(document or "")
    if not match:
        return None
    letter, digits = match.groups()
    return f"{letter}-{int(digits)}", f"{letter}-{int(digits):08d}-"


# Venezuelan mobile operators: Movilnet (416, 426), Movistar (414, 424), Digitel (412, 422).
# python-phonenumbers' metadata may lack 422, so this expression is the rule.
VE_MOBILE = re.compile(r"^(?:\+?58|0)?4(?:12|14|16|22|24|26)\d{7}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize_ve_mobile(value: str) -> str:
    """Return a Venezuelan mobile number in E.164 (`+584141234567`), or raise ValidationError.

    Accepts `0414-1234567`, `(0414) 123.45.67`, `+58 424 123 45 67`, `584121234567`, `4161234567`.
    Landlines (`0212…`) and other countries are rejected.
    """
    raw = _PHONE_SEPARATORS.sub("", value or "")
    if not raw:
        raise ValidationError(_("Indique el teléfono celular."), code="required")
    if not VE_MOBILE.fullmatch(raw):
        raise ValidationError(
            _(
                "Teléfono celular no válido: use un número de Movilnet, Movistar o Digitel "
                "(0412, 0414, 0416, 0422, 0424 o 0426), p. ej. 0414-1234567."
            ),
            code="phone_format",
        )
    return "+58" + raw[-10:]


def format_ve_mobile(e164: str) -> str:
    """A stored mobile as Venezuelans write it and read it on a bank statement: `+584141234567`
    → `0414-1234567` (anything else is returned as it is)."""
    if not (e164 or "").startswith("+58"):
        return e164 or ""
    national = e164[3:]
    return f"0{national[:3]}-{national[3:]}"


def validate_ve_mobile(value: str) -> None:
    normalize_ve_mobile(value)
