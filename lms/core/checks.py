"""Deployment checks of the platform's own (``manage.py check --deploy``)."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register

#: Cache backends whose entries live inside one process: counters kept there are counted
#: by each process apart (LocMemCache), or not at all (DummyCache).
PROCESS_LOCAL_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def serving_processes() -> int:
    """How many processes serve requests: gunicorn's WEB_CONCURRENCY (deploy/gunicorn.conf.py
    reads the same variable); several are assumed when it is not said."""
    try:
        return int(os.environ.get("WEB_CONCURRENCY", "2"))
    except ValueError:
        return 2


def throttle_cache_problem(caches: dict, processes: int) -> str | None:
    """Why sign-in throttles would not hold across ``processes``, or ``None``.

    allauth counts failed sign-ins in the default cache. In a cache of each process's own,
    every process keeps its own count: with four workers an attacker gets four times the
    attempts (twenty of thirty wrong passwords went through where five are allowed).
    """
    backend = caches.get("default", {}).get("BACKEND", "")
    if processes > 1 and backend in PROCESS_LOCAL_CACHES:
        return (
            f"The cache ({backend.rsplit('.', 1)[-1]}) is local to each process while "
            f"{processes} processes serve: sign-in throttles would be counted per process. "
            "Set REDIS_URL to a Redis server shared by every process, or WEB_CONCURRENCY=1 "
            "if a single process serves."
        )
    return None


@register(Tags.security, deploy=True)
def throttles_shared_check(app_configs, **kwargs):
    problem = throttle_cache_problem(settings.CACHES, serving_processes())
    return [Error(problem, id="lms.E001")] if problem else []
