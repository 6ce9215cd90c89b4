"""`make run` on a machine whose PostgreSQL is missing, or lacks what the product needs: it says
so and what to do, instead of failing later inside a migration."""

from django.conf import settings

from project import launcher


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_this_machines_postgresql_has_what_the_product_needs():
    assert launcher.postgres_problem(database_url()) is None


def test_no_postgresql_at_the_address_says_what_to_install_or_set():
    problem = launcher.postgres_problem("postgres://postgres@127.0.0.1:1/ticketing")

    assert "No PostgreSQL answers at postgres://postgres@127.0.0.1:1/ticketing" in problem
    assert "apt-get install postgresql" in problem and "DATABASE_URL" in problem


def test_a_postgresql_without_the_contrib_extensions_is_named_with_what_it_lacks(monkeypatch):
    monkeypatch.setattr(launcher, "REQUIRED_EXTENSIONS", ("unaccent", "no_such_extension"))

    problem = launcher.postgres_problem(database_url())

    assert "lacks the extensions no_such_extension" in problem and "unaccent" not in problem.split("\n")[0]
