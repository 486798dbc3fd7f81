"""The phone's queue in chromium, phone-sized (docs/offline.md): a full storage refuses the
next step and says so without losing what waits; Background Sync sends the queue from the
service worker with no page of the platform open."""

import re
import time

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from courses.models import Enrolment
from tests.browser.test_offline import TEXT, keep_offline, module_two_done_offline, verbs_of

pytestmark = pytest.mark.service_worker  # the tests drive the service worker

FULL = {
    "fr": "La mémoire de ce téléphone est pleine\u202f: cette étape n’a pas été gardée. "
    "Libérez de la place, puis refaites-la. Les activités déjà en attente sur ce téléphone "
    "sont conservées.",
    "en": "This phone’s storage is full: this step was not kept. Free some space, then do it "
    "again. The activities already waiting on this phone are kept.",
}
QUEUED = "LmsOffline.all('queue').then(rows => rows.map(r => [r.statement.verb.id.split('/').pop(), r.status]).sort())"  # noqa: E501
FILL_STORAGE = """() => {
  window.__lmsStorageFull = true;
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    const request = put.apply(this, args);
    const tx = this.transaction;
    if (window.__lmsStorageFull && tx.mode === "readwrite" && !tx.__full) {
      tx.__full = true;  // the write goes to the disk, which refuses it: all of it is undone
      request.addEventListener("success", () => {
        Object.defineProperty(tx, "error", {
          value: new DOMException("The quota has been exceeded.", "QuotaExceededError"),
        });
        tx.abort();
      });
    }
    return request;
  };
}"""
PROGRESS = "LmsOffline.all('progress').then(rows => rows.map(r => [r.answers, r.done]))"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_full_storage_refuses_the_step_says_so_and_keeps_the_queue(page, sign_in, language):
    text = TEXT[language]
    keep_offline(page, sign_in, language)
    page.context.set_offline(True)
    page.get_by_role("link", name=re.compile("^Module 1")).click()
    page.get_by_label("Que faire ? answer 0").check()
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".offline-feedback")).to_contain_text(text["not_quite"])
    waiting = [["answered", "waiting"], ["launched", "waiting"]]
    assert page.evaluate(QUEUED) == waiting

    # The phone's storage is full. Chromium ignores a quota override in a test's in-memory
    # context, so the page's IndexedDB fails as a full disk makes it fail: the write's
    # transaction aborts with a QuotaExceededError.
    page.evaluate(FILL_STORAGE)
    page.get_by_label("Que faire ? answer 1").check()
    page.get_by_role("button", name=text["check"]).click()
    expect(page.get_by_role("alert")).to_have_text(FULL[language])
    expect(page.locator(".offline-feedback")).not_to_contain_text(text["correct"])
    expect(page.get_by_role("button", name=text["check"])).to_be_visible()  # it can be redone
    assert page.evaluate(QUEUED) == waiting  # nothing queued is lost, nothing half-kept
    # The first answer completed the module (every check answered); the refused one is not
    # taken as the check's answer.
    assert page.evaluate(PROGRESS) == [[{"kc0": [0]}, True]]

    # Space freed: the same answer is kept this time, and the module completes.
    page.evaluate("window.__lmsStorageFull = false")
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".offline-feedback")).to_contain_text(text["correct"])
    expect(page.locator(".offline-done")).to_contain_text(text["module_done"])
    assert page.evaluate(QUEUED) == [["answered", "waiting"], *waiting]
    assert page.evaluate(PROGRESS) == [[{"kc0": [1]}, True]]


def test_background_sync_sends_the_queue_from_the_service_worker(page, sign_in, live_server):
    course = keep_offline(page, sign_in, "en")
    module_two_done_offline(page, course)
    enrolment = Enrolment.objects.get(user__username="awa")
    # Queuing a statement asked the browser for a Background Sync.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())") == [
        "lms-offline-sync"
    ]
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    # No page of the platform is left to send on "online" or on load: only the worker can.
    page.goto("about:blank")
    page.context.set_offline(False)
    deadline = time.monotonic() + 15  # a loaded CI machine is slow
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    (registration,) = [r for r in registrations if not r.get("isDeleted")]

    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "lms-offline-sync",
            "lastChance": False,
        },
    )
    deadline = time.monotonic() + 15  # a loaded CI machine is slow
    while len(_verbs(enrolment)) < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert sorted(verbs_of(enrolment)) == ["completed", "experienced", "launched", "registered"]
    page.goto(course.url)
    expect(page.locator("#offline-status")).to_contain_text(TEXT["en"]["all_sent"])
    assert page.evaluate(QUEUED) == []


def _verbs(enrolment) -> list[str]:
    """The stored verbs, or none yet while the live server holds SQLite's table lock."""
    try:
        return verbs_of(enrolment)
    except OperationalError:
        return []
