"""Checks behind /healthz: can we reach PostgreSQL and Redis right now?"""

import redis
from django.conf import settings
from django.db import connections
from django.db.utils import Error as DatabaseError

CHECK_TIMEOUT_SECONDS = 2


def check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        return f"error: {e.__class__.__name__}"
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "disabled"
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError as e:
        return f"error: {e.__class__.__name__}"
    finally:
        client.close()
    return "ok"


def health_report() -> tuple[dict, bool]:
    checks = {"database": check_database(), "redis": check_redis()}
    healthy = not any(value.startswith("error") for value in checks.values())
    return {"status": "ok" if healthy else "error", **checks}, healthy
