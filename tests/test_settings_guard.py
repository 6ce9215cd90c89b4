"""Production refuses to start with debug on or without a private secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from project.settings.base import DEVELOPMENT_SECRET_KEY
from project.settings.guard import check_production_settings, parse_rif_extra_letters

REPO_ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3y-Of-fifty-characters-for-the-production-tests!!"
IMPORT_PROD = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='project.settings.prod'; django.setup()"
)


def test_good_production_settings_pass():
    assert len(GOOD_KEY) == 50
    assert (
        check_production_settings(
            debug=False, secret_key=GOOD_KEY, development_secret_key=DEVELOPMENT_SECRET_KEY
        )
        is None
    )


def test_debug_on_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be off in production"):
        check_production_settings(
            debug=True, secret_key=GOOD_KEY, development_secret_key=DEVELOPMENT_SECRET_KEY
        )


def test_the_development_key_is_refused():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set to a private value"):
        check_production_settings(
            debug=False,
            secret_key=DEVELOPMENT_SECRET_KEY,
            development_secret_key=DEVELOPMENT_SECRET_KEY,
        )


@pytest.mark.parametrize("key", ["", None])
def test_an_empty_key_is_refused(key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set to a private value"):
        check_production_settings(debug=False, secret_key=key, development_secret_key=DEVELOPMENT_SECRET_KEY)


@pytest.mark.parametrize("key", ["short", "x" * 31])
def test_a_short_key_is_refused(key):
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        check_production_settings(debug=False, secret_key=key, development_secret_key=DEVELOPMENT_SECRET_KEY)


def test_a_key_of_exactly_32_characters_passes():
    check_production_settings(debug=False, secret_key="x" * 32, development_secret_key=DEVELOPMENT_SECRET_KEY)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        check_production_settings(
            debug=True,
            secret_key=DEVELOPMENT_SECRET_KEY,
            development_secret_key=DEVELOPMENT_SECRET_KEY,
        )

    assert "DEBUG must be off" in str(excinfo.value)
    assert "SECRET_KEY must be set" in str(excinfo.value)


def start_production(**variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", IMPORT_PROD],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_does_not_start_with_debug_on():
    result = start_production(DEBUG="true", SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG must be off in production" in result.stderr


def test_production_does_not_start_without_a_secret_key():
    result = start_production(DEBUG="false")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set to a private value in production." in result.stderr


def test_production_does_not_start_with_a_short_secret_key():
    result = start_production(DEBUG="false", SECRET_KEY="too-short")

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 32 characters long." in result.stderr


def test_production_starts_with_debug_off_and_a_private_key():
    result = start_production(DEBUG="false", SECRET_KEY=GOOD_KEY)

    assert result.returncode == 0, result.stderr
    assert "ImproperlyConfigured" not in result.stderr


@pytest.mark.parametrize(
    ("text", "letters"),
    [("C=24", {"C": 24}), (" c = 24 , x=28", {"C": 24, "X": 28}), ("", {}), (" ", {})],
)
def test_the_extra_rif_letters_are_read_from_letter_value_pairs(text, letters):
    assert parse_rif_extra_letters(text) == letters


@pytest.mark.parametrize("text", ["C", "C=", "CC=24", "C=veinte", "1=24"])
def test_a_malformed_extra_rif_letter_refuses_to_start_naming_it(text):
    with pytest.raises(
        ImproperlyConfigured, match="RIF_EXTRA_LETTERS: each item is one letter and its value"
    ):
        parse_rif_extra_letters(text)
