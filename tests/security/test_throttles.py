"""Sign-in throttles hold across every process: without a cache shared by the processes that
serve, `check --deploy` fails and gunicorn refuses to start more than one worker."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from lms.core.checks import throttle_cache_problem

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _production(*args, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WEB_CONCURRENCY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="lms.example.org",
        SITE_URL="https://lms.example.org",
        **env_extra,
    )
    return subprocess.run(  # noqa: S603 - our own commands with fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("caches", "processes", "refused"),
    [
        (LOCMEM, 4, True),
        (DUMMY, 2, True),
        (LOCMEM, 1, False),
        (REDIS, 4, False),
    ],
)
def test_a_cache_of_each_process_is_refused_when_several_serve(caches, processes, refused):
    problem = throttle_cache_problem(caches, processes)
    assert (problem is not None) == refused
    if refused:
        assert f"while {processes} processes serve" in problem
        assert "Set REDIS_URL" in problem


def test_the_deployment_check_fails_without_a_shared_cache():
    result = _production("manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "lms.E001" in result.stderr
    assert "sign-in throttles would be counted per process" in result.stderr
    single = _production("manage.py", "check", "--deploy", WEB_CONCURRENCY="1")
    assert "lms.E001" not in single.stdout + single.stderr


def test_gunicorn_refuses_to_start_several_workers_without_a_shared_cache():
    result = _production(
        "-m",
        "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "lms.wsgi",
        WEB_CONCURRENCY="4",
        GUNICORN_BIND="127.0.0.1:0",
    )
    assert result.returncode != 0
    assert "Refusing to start: The cache (LocMemCache) is local to each process" in (
        result.stdout + result.stderr
    )
