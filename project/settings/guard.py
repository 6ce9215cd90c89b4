from django.core.exceptions import ImproperlyConfigured


def check_production_settings(*, debug: bool, secret_key: str, development_secret_key: str) -> None:
    """Refuse to start a production process with settings that would leak data or sessions."""
    problems = []
    if debug:
        problems.append("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
    if not secret_key or secret_key == development_secret_key:
        problems.append("SECRET_KEY must be set to a private value in production.")
    elif len(secret_key) < 32:
        problems.append("SECRET_KEY must be at least 32 characters long.")
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


def parse_rif_extra_letters(text: str) -> dict[str, int]:
    """RIF_EXTRA_LETTERS as `{"C": 24}` from "C=24" (several: "C=24,X=28"; empty: none), or refuse
    to start with what was wrong."""
    letters = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        letter, _, value = (side.strip() for side in item.partition("="))
        letter = letter.upper()
        if len(letter) != 1 or not "A" <= letter <= "Z" or not value.isdigit():
            raise ImproperlyConfigured(
                f"RIF_EXTRA_LETTERS: each item is one letter and its value, as C=24 (got {item!r})."
            )
        letters[letter] = int(value)
    return letters
