"""Browser tests: Playwright driving Debian's chromium against Django's live server.

Every browser context any test opens is guarded: a request to any address other than the
live server's is stopped and fails the test, and so does a page served without the
Content-Security-Policy or anything the policy blocks (an inline script or style, a handler
attribute, a resource from elsewhere).
"""

import os
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

# A loaded 2-core CI machine runs two suites and a browser per worker: assertions wait as
# long as actions and navigations do (the context's default timeout below).
expect.set_options(timeout=15_000)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


# Reports every violation of the page's Content-Security-Policy to the test (runs in every
# frame before the page's own scripts; the policy does not apply to it).
_VIOLATION_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const target = event.target && event.target.outerHTML ? event.target.outerHTML : "";
  window.__lmsCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    element: target.slice(0, 300),
  });
});
"""
# What Wagtail's rich text editor (Draftail) tries to add as <style> elements: the hint shown
# in an empty block ("Write something...", "Heading 3") and the numbering of nested ordered
# lists (given by static/admin/admin.css instead). The policy blocks them like everything
# inline; they alone do not fail a test.
_DRAFTAIL_STYLE = re.compile(
    r"<style>(\.Draftail-block--[\w-]+\.Draftail-block--empty|\n\.public-DraftStyleDefault-)"
)


@dataclass
class SiteGuard:
    """What left, or tried to leave, the live server during one test."""

    origin: str = ""
    #: "block" unless the test is marked ``service_worker``: a worker installing in the
    #: background keeps requests going after the test ends, and on SQLite the live server
    #: shares the test's connection, so the end-of-test flush would meet its transaction.
    service_workers: str = "block"
    off_site: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    without_policy: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request to another address: {url}" for url in self.off_site]
            + [f"Content-Security-Policy violation: {v}" for v in self.violations]
            + [
                f"page served without a Content-Security-Policy: {url}"
                for url in self.without_policy
            ]
        )

    def watch(self, context) -> None:
        def stop(route):
            self.off_site.append(route.request.url)
            route.abort("blockedbyclient")

        def response(response):
            ours = response.url.startswith(self.origin)
            page = response.request.resource_type == "document"
            if ours and page and "content-security-policy" not in response.headers:
                self.without_policy.append(response.url)

        def violation(_source, report):
            if not (
                report["directive"] == "style-src-elem"
                and report["source"].endswith("/static/wagtailadmin/js/vendor.js")
                and _DRAFTAIL_STYLE.match(report["element"])
            ):
                self.violations.append(report)

        context.route(lambda url: not url.startswith(self.origin), stop)
        context.on("response", response)
        context.expose_binding("__lmsCspViolation", violation)
        context.add_init_script(_VIOLATION_REPORTER)


_GUARD: list[SiteGuard] = []  # the guard of the browser test running now


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package `chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        new_context = browser.new_context

        def guarded_context(*args, **kwargs):
            if not _GUARD:
                pytest.fail("a browser context was opened outside a browser test")
            kwargs.setdefault("service_workers", _GUARD[-1].service_workers)
            context = new_context(*args, **kwargs)
            _GUARD[-1].watch(context)
            return context

        browser.new_context = guarded_context
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def site_guard(request):
    """Fails a browser test that requested another address or broke the page's policy."""
    guard = SiteGuard(
        origin=request.getfixturevalue("live_server").url + "/",
        service_workers="allow" if request.node.get_closest_marker("service_worker") else "block",
    )
    _GUARD.append(guard)
    yield guard
    _GUARD.remove(guard)
    problems = guard.problems()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(browser, live_server, migration_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    def do(username: str, password: str, language: str = "fr"):
        page.goto(f"/{language}/accounts/login/")
        labels = {"fr": ("Identifiant", "Mot de passe"), "en": ("Login", "Password")}[language]
        page.get_by_label(re.compile(f"^{labels[0]}")).fill(username)
        page.get_by_label(re.compile(f"^{labels[1]}")).fill(password)
        page.keyboard.press("Enter")

    return do
