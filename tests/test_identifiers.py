import pytest
from django.core.exceptions import ValidationError

from ticketing.core.identifiers import format_ve_mobile, normalize_rif, validate_rif

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
