"""Browser tests: Debian's Chromium driven by Playwright against a real ASGI server (uvicorn, so
websockets work too) in its own process, on the session's test database."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server-mail")


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker, mail_dir):
    """A uvicorn process serving the test database; yields a function building URLs per host."""
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        database_url = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}"
        )
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="project.settings.test",
        DATABASE_URL=database_url,
        SITE_PORT=str(port),
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(ARTIFACTS.parent / "artifacts" / "live-server.log", "w") if _ensure_artifacts() else None
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "project.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start; see tests/artifacts/live-server.log")
        time.sleep(0.2)

    def url(host: str, path: str = "/") -> str:
        return f"http://{host}:{port}{path}"

    yield url
    server.terminate()
    server.wait(timeout=10)
    if log:
        log.close()


def _ensure_artifacts() -> bool:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return True


@pytest.fixture
def screenshot(page):
    """`screenshot("name")` saves tests/artifacts/<name>.png of the current page."""

    def take(name: str) -> Path:
        _ensure_artifacts()
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    page.set_default_timeout(10_000)
