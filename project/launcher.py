"""`make run`: find (or start) PostgreSQL and Redis, migrate, load the demo, start every process.

Run as `python -m project.launcher`. It needs no Django settings of its own: it decides the
DATABASE_URL and REDIS_URL the processes will get, then hands over to honcho.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ticketing"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def say(message: str, *, loud: bool = False) -> None:
    if loud:
        bar = "!" * 72
        print(f"\n\033[1;33m{bar}\n{message}\n{bar}\033[0m\n", flush=True)
    else:
        print(f"==> {message}", flush=True)


def _maintenance_url(database_url: str) -> tuple[str, str]:
    """The same server's `postgres` database, and the name of ours."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") or "ticketing"
    return urlunsplit(parts._replace(path="/postgres")), name


def postgres_answers(database_url: str) -> bool:
    maintenance, _name = _maintenance_url(database_url)
    try:
        psycopg.connect(maintenance, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


# The searches need them (core migrations): accent-blind names, and trigram indexes.
REQUIRED_EXTENSIONS = ("unaccent", "pg_trgm")
NO_POSTGRES = """No PostgreSQL answers at {url}.
make run needs PostgreSQL 15 or later with its contrib extensions (unaccent, pg_trgm):
on Debian `apt-get install postgresql` and start it, or point DATABASE_URL at one.
`docker compose up` runs the whole stack instead."""
MISSING_EXTENSIONS = """The PostgreSQL at {url} lacks the extensions {missing}.
They come with PostgreSQL's contrib modules (Debian: the postgresql package; elsewhere often
postgresql-contrib): install them there, or point DATABASE_URL at a PostgreSQL that has them."""


def start_machine_postgres(database_url: str) -> bool:
    """Start this machine's own (Debian) cluster when it is installed but down, as .ci/run does."""
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") is None or not clusters.is_dir():
        return False
    versions = sorted(path.name for path in clusters.iterdir())
    if not versions:
        return False
    say(f"No PostgreSQL answered; starting this machine's cluster {versions[-1]}/main")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False)
    for _ in range(30):
        if postgres_answers(database_url):
            return True
        time.sleep(1)
    return False


def postgres_problem(database_url: str) -> str | None:
    """What stops the product from running on this PostgreSQL, said so that one can fix it; None
    when nothing does."""
    if not postgres_answers(database_url):
        return NO_POSTGRES.format(url=database_url)
    maintenance, _name = _maintenance_url(database_url)
    with psycopg.connect(maintenance) as conn:
        available = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM pg_available_extensions WHERE name = ANY(%s)", [list(REQUIRED_EXTENSIONS)]
            )
        }
    missing = [name for name in REQUIRED_EXTENSIONS if name not in available]
    if missing:
        return MISSING_EXTENSIONS.format(url=database_url, missing=", ".join(missing))
    return None


def ensure_database(database_url: str) -> None:
    maintenance, name = _maintenance_url(database_url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            say(f"Creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redis_answers(redis_url: str) -> bool:
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def main() -> None:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")
    # The links printed and e-mailed (SITE_PORT) point where the server listens (the Procfile's
    # WEB_PORT), not at 8000 whatever the port.
    env.setdefault("SITE_PORT", env.get("WEB_PORT", "8000"))
    # The Procfile's commands (uvicorn, celery) come from this virtualenv.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"

    database_url = env.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not postgres_answers(database_url):
        start_machine_postgres(database_url)
    if problem := postgres_problem(database_url):
        say(problem, loud=True)
        sys.exit(1)
    env["DATABASE_URL"] = database_url
    ensure_database(database_url)

    redis_url = env.get("REDIS_URL", DEFAULT_REDIS_URL)
    processes = ["web", "worker", "beat"]
    if redis_url and not redis_answers(redis_url):
        say(
            f"WARNING: no Redis answers at {redis_url}.\n"
            "Falling back to an in-process cache and channel layer and to eager Celery tasks.\n"
            "Live seat maps only reach pages served by this one process; do not run a venue like this.",
            loud=True,
        )
        redis_url = ""
    if not redis_url:
        processes = ["web"]
    env["REDIS_URL"] = redis_url

    say("Migrating the public schema and every organization's schema")
    manage("migrate_schemas", "--noinput", env=env)
    say("Loading the demo organization")
    manage("setup_demo", env=env)
    DATA_DIR.mkdir(exist_ok=True)

    say(f"Starting {', '.join(processes)} (Ctrl+C stops everything)")
    honcho = Path(sys.executable).with_name("honcho")
    os.chdir(BASE_DIR)
    os.execve(
        honcho,
        [str(honcho), "--procfile", "project/Procfile", "--app-root", str(BASE_DIR), "start", *processes],
        env,
    )


if __name__ == "__main__":
    main()
