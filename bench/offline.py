"""The offline budgets, called by bench/pages.py once the demo data is loaded (its docstring
says how to run it)."""

from __future__ import annotations

import gzip
import os
import statistics
import time
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

# DevTools' "Slow 3G" preset: 400 ms round trip x 5, 500 kbit/s x 0.8 each way.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
}


def demo_course_fr():
    """The demo's awareness course in French (French pages have French slugs: found through
    its English translation's slug)."""
    from wagtail.models import Locale

    from courses.models import CoursePage

    english = CoursePage.objects.get(slug="eod-awareness", locale__language_code="en")
    return english.get_translation(Locale.objects.get(language_code="fr"))


def five_module_course():
    """A course of five text modules: the demo modules' bodies (text, safety warning,
    procedure, knowledge checks), each with its own block ids."""
    from courses.models import CoursePage, ModulePage

    existing = CoursePage.objects.filter(slug="offline-five-modules").first()
    if existing is not None:
        return existing
    demo = demo_course_fr()
    sources = list(
        ModulePage.objects.filter(locale=demo.locale, depth=demo.depth + 1).order_by("path")
    )
    course = demo.get_parent().add_child(
        instance=CoursePage(
            title="Cinq modules hors ligne",
            slug="offline-five-modules",
            summary=demo.summary,
            learning_objectives=demo.learning_objectives,
            question_bank=demo.question_bank.raw_data,
            questions_per_attempt=demo.questions_per_attempt,
        )
    )
    course.save_revision().publish()
    for index in range(5):
        source = sources[index % len(sources)]
        body = [dict(block, id=f"m{index}-{block['id']}") for block in source.body.raw_data]
        module = course.add_child(
            instance=ModulePage(
                title=f"{source.title} ({index + 1})",
                slug=f"offline-five-{index + 1}",
                intro=source.intro,
                body=body,
            )
        )
        module.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def package_weight(client: Client, course) -> dict:
    """What the phone downloads: the descriptor, every page and file it lists, and the
    service worker's shell (static files), raw and as sent gzip-compressed."""
    from courses.offline.views import SHELL_FILES

    response = client.get(f"/fr/learn/courses/{course.translation_key}/offline/")
    assert response.status_code == 200, response.status_code
    descriptor = response.json()
    raw = len(response.content)
    compressed = len(gzip.compress(response.content))
    for url in descriptor["pages"] + [f["url"] for f in descriptor["files"]]:
        page = client.get(url, headers={"X-LMS-Offline-Package": "1"})
        assert page.status_code == 200, (url, page.status_code)
        body = b"".join(page.streaming_content) if page.streaming else page.content
        raw += len(body)
        compressed += len(gzip.compress(body))
    shell = [Path(finders.find(name)).read_bytes() for name in SHELL_FILES]
    shell.append(client.get("/sw.js").content)
    return {
        "pages": len(descriptor["pages"]),
        "files": len(descriptor["files"]),
        "videos": len(descriptor["videos"]),
        "raw_kb": raw / 1024,
        "compressed_kb": compressed / 1024,
        "with_shell_kb": (raw + sum(len(b) for b in shell)) / 1024,
    }


def scripts_weight(client: Client) -> dict:
    sizes = {}
    for name in ("offline/queue.js", "offline/offline.js", "offline/offline.css"):
        body = Path(finders.find(name)).read_bytes()
        sizes[name] = (len(body), len(gzip.compress(body, 9)))
    body = client.get("/sw.js").content
    sizes["/sw.js"] = (len(body), len(gzip.compress(body, 9)))
    return sizes


def offline_figures(*, user, browser: bool = True) -> None:
    client = Client()
    client.force_login(user)
    from courses.services.enrolment import enrolment_create

    course = five_module_course()
    if not user.enrolments.filter(course_key=course.translation_key).exists():
        enrolment_create(user=user, course=course)
    weight = package_weight(client, course)
    print()
    print(
        f"offline package, five-module text course: {weight['pages']} pages, "
        f"{weight['files']} files, {weight['videos']} videos: {weight['raw_kb']:.1f} KB "
        f"({weight['compressed_kb']:.1f} KB gzip); with the static shell "
        f"{weight['with_shell_kb']:.1f} KB"
    )
    sizes = scripts_weight(client)
    for name, (raw, packed) in sizes.items():
        print(f"  {name:<24} {raw / 1024:6.1f} KB  gzip -9 {packed / 1024:5.1f} KB")
    scripts = [v for k, v in sizes.items() if k.endswith(".js")]
    print(
        f"service worker + scripts: {sum(r for r, _ in scripts) / 1024:.1f} KB, "
        f"{sum(p for _, p in scripts) / 1024:.1f} KB compressed"
    )
    if browser:
        offline_open_times(client=client, course=course)


def offline_open_times(*, client: Client, course, runs: int = 10) -> None:
    """Keep the course in chromium, then open module pages with the network cut, CPU
    throttled 4x and Slow 3G emulated: time to first contentful paint and to load."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    from courses.models import ModulePage

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    server = LiveServerThread("localhost", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    origin = f"http://localhost:{server.port}"
    modules = [m.url for m in ModulePage.objects.child_of(course).order_by("path")]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        context = chromium.new_context(base_url=origin, viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": origin}]
        )
        page = context.new_page()
        page.goto(course.url)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.get_by_role("button", name="Rendre disponible hors ligne").click()
        page.wait_for_selector("#offline-remove:not([hidden])", timeout=60_000)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        stored = page.locator("#offline-course-state").inner_text()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        results = {}
        # Slow 3G is emulated for the page; the service worker's own fetches are a separate
        # target that this emulation does not reach, so the "link up" row is the page's
        # side only (what it loads itself), not a slow network behind the service worker.
        for label, offline in (("offline", True), ("Slow 3G, link up", False)):
            context.set_offline(offline)
            cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": offline})
            paints, loads, walls = [], [], []
            for run in range(runs):
                url = modules[run % len(modules)]
                start = time.perf_counter()
                page.goto(url, wait_until="load", timeout=60_000)
                walls.append((time.perf_counter() - start) * 1000)
                timing = page.evaluate(
                    """() => {
                      const nav = performance.getEntriesByType("navigation")[0];
                      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
                      return {load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null};
                    }"""
                )
                loads.append(timing["load"])
                if timing["fcp"] is not None:
                    paints.append(timing["fcp"])
            results[label] = (paints, loads, walls)
        context.close()
        chromium.close()
    server.terminate()
    print(f"chromium, phone viewport 390x844, CPU 4x slower, {runs} module pages each; {stored}")
    for label, (paints, loads, walls) in results.items():
        print(
            f"  {label:<18} first paint median {statistics.median(paints):6.0f} ms "
            f"max {max(paints):6.0f} ms; load median {statistics.median(loads):6.0f} ms "
            f"max {max(loads):6.0f} ms; goto wall median {statistics.median(walls):6.0f} ms"
        )
