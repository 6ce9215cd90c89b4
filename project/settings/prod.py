"""Production: refuses to start with debug on or the development secret key."""

from .base import *  # noqa: F403
from .base import DEBUG, DEVELOPMENT_SECRET_KEY, SECRET_KEY, env
from .guard import check_production_settings

check_production_settings(debug=DEBUG, secret_key=SECRET_KEY, development_secret_key=DEVELOPMENT_SECRET_KEY)

# A connection pool per process (see base.py): uvicorn workers × DB_POOL_MAX_SIZE must stay
# below PostgreSQL's max_connections.
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
    "min_size": 2,
    "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
    "timeout": 10,
}
# Fewer request threads than in development: a sale's requests are mostly Python, so a third or
# fourth thread adds no CPU, only threads that take the GIL from each other. With 2 workers and 8
# sellers (benchmarks/box_office.py, 12 alternated rounds), 2 threads against 4: 104 against 100
# sales/s (median), p95 48 against 53 ms, more sales/s in 9 rounds of 12. A slow request (a PDF)
# still leaves the other thread free.
WEB_THREADS = env.int("WEB_THREADS", default=2)

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SITE_SCHEME = env("SITE_SCHEME", default="https")
SITE_PORT = env("SITE_PORT", default="")
