"""gunicorn for the platform, behind deploy/nginx.conf (docs/security.md, slow clients).

nginx buffers every request body and every response, so each sync worker only ever talks to
nginx over the loopback at full speed: a slow client holds an nginx connection (cheap), never
a worker. Run as `gunicorn -c deploy/gunicorn.conf.py lms.wsgi`.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# A request that takes longer than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Headers from nginx only: a limit on their size as a second line behind nginx's.
limit_request_line = 8190
limit_request_fields = 100
# Recycle workers now and then (memory held by a large report or import is returned).
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):
    """Refuse to start several workers that would each count sign-in throttles apart."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)
    from django.conf import settings

    from lms.core.checks import throttle_cache_problem

    problem = throttle_cache_problem(settings.CACHES, server.cfg.workers)
    if problem:
        raise SystemExit(f"Refusing to start: {problem}")
