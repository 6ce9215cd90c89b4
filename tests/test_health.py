"""/healthz: answered before tenant routing, on any host, with the state of PostgreSQL and Redis."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

REPO_ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
UNREACHABLE_DATABASE = "postgres://postgres@127.0.0.1:1/nothing"


@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "unknown.localhost"])
@pytest.mark.parametrize("path", ["/healthz", "/healthz/"])
def test_healthz_answers_ok_on_any_host(db, host, path):
    response = Client(HTTP_HOST=host).get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_answers_even_for_a_suspended_organization(acme):
    acme.is_active = False
    acme.save(update_fields=["is_active"])

    response = Client(HTTP_HOST="acme.localhost").get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_reports_503_when_redis_is_unreachable(db, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS

    response = Client(HTTP_HOST="localhost").get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["redis"].startswith("error")


def test_healthz_reports_503_when_the_database_is_unreachable():
    script = "\n".join(
        [
            "import django",
            "django.setup()",
            "from django.test import Client",
            "response = Client(HTTP_HOST='localhost').get('/healthz')",
            "print(response.status_code)",
            "print(response.content.decode())",
        ]
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings.test",
        "DATABASE_URL": UNREACHABLE_DATABASE,
    }

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    status_line, body_line = result.stdout.strip().splitlines()[-2:]
    assert status_line == "503"
    body = json.loads(body_line)
    assert body["status"] == "error"
    assert body["database"].startswith("error")
    assert body["redis"] == "ok"
