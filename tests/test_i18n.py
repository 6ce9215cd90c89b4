"""Spanish by default (whatever the browser prefers), English through the switch, es-VE formats."""

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

from django.utils import formats, translation

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_pages_are_spanish_even_for_an_english_browser(acme, client_for):
    response = client_for(acme).get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "es"
    assert "Iniciar sesión" in response.content.decode()


def test_the_language_switch_turns_the_site_english_and_back(acme, client_for):
    client = client_for(acme)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert response["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()
    assert "Iniciar sesión" not in response.content.decode()

    response = client.post("/i18n/setlang/", {"language": "es", "next": "/accounts/login/"}, follow=True)
    assert "Iniciar sesión" in response.content.decode()


def test_dates_and_numbers_use_venezuelan_conventions():
    with translation.override("es"):
        assert formats.date_format(datetime.date(2026, 12, 24), "SHORT_DATE_FORMAT") == "24/12/2026"
        assert formats.number_format(Decimal("1234567.5"), 2, force_grouping=True) == "1.234.567,50"


def test_every_spanish_string_has_its_english_translation():
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(CATALOG)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(CATALOG)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missing = [line for line in untranslated.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert missing == []
    assert "msgid" not in fuzzy.replace('msgid ""', "")
