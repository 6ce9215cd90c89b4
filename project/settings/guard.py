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
