"""Server time and page weight of the catalogue and a module page (docs/design.md budgets:
a module page under 150 KB before media, server time under 50 ms), and the offline budgets
(a five-module text course's offline package under 500 KB before videos; service
worker and scripts under 30 KB compressed; a module page opened offline in under 1 s with
Chromium's CPU throttled 4x and the "Slow 3G" network profile).

Usage: .venv/bin/python bench/pages.py [requests] [--no-browser]
Uses DATABASE_URL (default: a fresh SQLite file in /tmp); loads the demo data, enrols a
trainee and times requests through Django's test client (server time only, no network).
The offline part adds a five-module course made of the demo modules' texts, serves the site
on a local port and drives Debian's chromium (CHROMIUM_PATH, default /usr/bin/chromium).
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_description

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-pages.sqlite3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

logging.disable(logging.INFO)


def machine() -> str:
    return machine_description(connection.vendor)


def measure(client: Client, url: str, n: int) -> dict:
    client.get(url)  # warm up
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = len(response.content)
    # Everything the page loads before media: the HTML and its own stylesheets and scripts.
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', response.content.decode())
    asset_size = sum(Path(finders.find(name)).stat().st_size for name in set(assets))
    times.sort()
    return {
        "url": url,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "queries": len(queries),
        "html_kb": html / 1024,
        "total_kb": (html + asset_size) / 1024,
    }


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 200
    if connection.vendor == "sqlite" and settings.DATABASES["default"]["NAME"].startswith("/tmp"):
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from courses.models import ModulePage
    from courses.services.enrolment import enrolment_create
    from lms.accounts.models import User

    user = User.objects.get(username="stagiaire")
    from bench.offline import demo_course_fr

    course = demo_course_fr()
    if not user.enrolments.exists():
        enrolment_create(user=user, course=course)
    module = ModulePage.objects.child_of(course).order_by("path").last()
    client = Client()
    client.force_login(user)
    print(machine())
    print(f"{n} requests each, Django test client (server time, no network)")
    for url in ["/fr/catalogue/", course.url, module.url]:
        row = measure(client, url, n)
        print(
            f"{row['url']:<70} median {row['median_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms  "
            f"{row['queries']:3d} queries  HTML {row['html_kb']:5.1f} KB  "
            f"HTML+CSS+JS {row['total_kb']:5.1f} KB"
        )
    from bench.offline import offline_figures

    offline_figures(user=user, browser="--no-browser" not in sys.argv)


if __name__ == "__main__":
    main()
