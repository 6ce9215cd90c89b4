import pytest
from django.core.exceptions import ValidationError

from ticketing.core.identifiers import format_ve_mobile, normalize_id_document, normalize_rif, validate_rif

VALID_RIFS = ["J-31294846-9", "J-41197191-0", "J-40913703-1", "V-15100580-9", "V-11470283-4"]


@pytest.mark.parametrize("rif", VALID_RIFS)
def test_a_valid_rif_is_returned_in_the_standard_form(rif):
    assert normalize_rif(rif) == rif
    validate_rif(rif)  # the model field's validator accepts it too


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("J312948469", "J-31294846-9"),
        ("j-31294846-9", "J-31294846-9"),
        ("j312948469", "J-31294846-9"),
        ("  J-41197191-0  ", "J-41197191-0"),
        ("J 40913703 1", "J-40913703-1"),
        ("v 15100580-9", "V-15100580-9"),
        ("V114702834", "V-11470283-4"),
        ("v-11470283-4\n", "V-11470283-4"),
    ],
)
def test_a_rif_typed_with_or_without_dashes_any_case_or_spaces_is_normalized(typed, expected):
    assert normalize_rif(typed) == expected


@pytest.mark.parametrize(
    "rif",
    ["J-31294846-8", "J-41197191-1", "J-40913703-0", "V-15100580-1", "v114702835"],
)
def test_a_wrong_check_digit_is_rejected_with_its_own_message(rif):
    with pytest.raises(ValidationError) as excinfo:
        normalize_rif(rif)

    assert excinfo.value.code == "rif_checksum"
    assert excinfo.value.messages == [f"El dígito verificador del RIF {rif} no es válido."]


@pytest.mark.parametrize(
    "rif",
    [
        "X-31294846-9",  # unknown type letter
        "J-3129484-9",  # too few digits
        "J-312948-9",
        "J-312948469-1",  # too many digits
        "J-3129484A-9",  # a letter among the digits
        "31294846-9",  # no type letter at all
        "JJ-1294846-9",
    ],
)
def test_a_malformed_rif_is_rejected_with_a_hint_of_the_right_format(rif):
    with pytest.raises(ValidationError) as excinfo:
        normalize_rif(rif)

    assert excinfo.value.code == "rif_format"
    (message,) = excinfo.value.messages
    assert message.startswith("RIF no válido")
    assert "J-31294846-9" in message  # shows an example the user can copy


@pytest.mark.parametrize("rif", ["", "   ", None])
def test_an_empty_rif_asks_for_one(rif):
    with pytest.raises(ValidationError) as excinfo:
        normalize_rif(rif)

    assert excinfo.value.code == "required"
    assert excinfo.value.messages == ["Indique el RIF."]


def test_validate_rif_rejects_what_normalize_rif_rejects():
    with pytest.raises(ValidationError) as excinfo:
        validate_rif("J-31294846-8")

    assert excinfo.value.code == "rif_checksum"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+584141234567", "0414-1234567"),
        ("+584261112233", "0426-1112233"),
        ("", ""),
        ("02121234567", "02121234567"),
    ],
)
def test_a_stored_mobile_is_shown_as_venezuelans_write_it(stored, shown):
    assert format_ve_mobile(stored) == shown


# --- RIF letters python-stdnum does not know (settings.RIF_EXTRA_LETTERS) -----------------------
# C (consejos comunales) is worth 24: for C-12345678, 24 + 1·3 + 2·2 + 3·7 + 4·6 + 5·5 + 6·4 + 7·3 +
# 8·2 = 162; 162 mod 11 = 8; 11 − 8 = 3.


@pytest.mark.parametrize("typed", ["C-12345678-3", "c123456783", " c 12345678 3 "])
def test_a_comunal_rif_is_checked_with_the_configured_letter_value(typed):
    assert normalize_rif(typed) == "C-12345678-3"
    assert normalize_id_document(typed) == "C-12345678-3"  # a RIF, never taken for a cédula


def test_a_comunal_rif_with_a_wrong_check_digit_says_so():
    with pytest.raises(ValidationError) as excinfo:
        normalize_rif("C-12345678-4")

    assert excinfo.value.code == "rif_checksum"
    assert excinfo.value.messages == ["El dígito verificador del RIF C-12345678-4 no es válido."]


@pytest.mark.parametrize("rif", ["C-1234567-3", "C-123456789-3", "C-1234A678-3"])
def test_a_malformed_comunal_rif_gets_the_format_hint_naming_every_letter(rif):
    with pytest.raises(ValidationError) as excinfo:
        normalize_rif(rif)

    assert excinfo.value.code == "rif_format"
    assert "use una letra (V, E, J, P, G o C)" in excinfo.value.messages[0]


def test_without_extra_letters_configured_a_c_rif_is_refused(settings):
    settings.RIF_EXTRA_LETTERS = {}

    with pytest.raises(ValidationError) as excinfo:
        normalize_rif("C-12345678-3")

    assert excinfo.value.code == "rif_format"
    assert "use una letra (V, E, J, P o G)" in excinfo.value.messages[0]
    with pytest.raises(ValidationError):
        normalize_id_document("C-12345678-3")
