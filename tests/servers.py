"""The web server as production starts it (the Procfile's `web` command), in its own process, on
the session's test database: for browser tests and for tests of the server itself."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command(name: str) -> str:
    for line in (REPO_ROOT / "project" / "Procfile").read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name:
            return command.strip()
    raise LookupError(f"no {name} process in the Procfile")


def start_web_server(*, port: int, log=None, **environment) -> subprocess.Popen:
    """uvicorn on 127.0.0.1:port with the test settings, started by the Procfile's command, once
    it answers /healthz."""
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}"
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="project.settings.test",
        DATABASE_URL=database_url,
        SITE_PORT=str(port),
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(port),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **environment,
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = subprocess.Popen(
        ["sh", "-c", f"exec {procfile_command('web')}"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("the test server did not start")
        time.sleep(0.2)


def commit_sql(statement: str, params: list) -> None:
    """Change the test database for the server to see at once: the test's own connection sits in
    a transaction the server never sees."""
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        dbname=s["NAME"],
        autocommit=True,
    ) as db:
        db.execute(statement, params)
