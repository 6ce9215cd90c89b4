"""Browser tests: Debian's Chromium driven by Playwright against a real ASGI server (uvicorn, so
websockets work too) in its own process, on the session's test database."""

import os
from pathlib import Path

import pytest

from tests.servers import free_port, start_web_server

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SERVER_STOP_SECONDS = 3  # the test server's WEB_STOP_SECONDS


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
    """The web server (tests/servers.py) on the test database; yields a function building URLs
    per host."""
    port = free_port()
    log = open(ARTIFACTS.parent / "artifacts" / "live-server.log", "w") if _ensure_artifacts() else None
    with django_db_blocker.unblock():
        server = start_web_server(
            port=port,
            log=log,
            TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            TEST_EMAIL_FILE_PATH=str(mail_dir),
            # A map's websocket left open by the last test must not hold the suite's end for long.
            WEB_STOP_SECONDS=str(SERVER_STOP_SECONDS),
        )

    def url(host: str, path: str = "/") -> str:
        return f"http://{host}:{port}{path}"

    yield url
    server.terminate()
    # uvicorn waits up to WEB_STOP_SECONDS for open connections, then closes them and exits.
    server.wait(timeout=SERVER_STOP_SECONDS + 20)
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
