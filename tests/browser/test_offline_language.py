"""The offline copy speaks the page's language only (docs/offline.md): a course kept in
French, then pages in English, offline and online, show English words and no French ones,
and the other way round."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline import keep_offline

pytestmark = pytest.mark.service_worker  # the tests drive the service worker

UNAVAILABLE = {
    "fr": "Vous êtes hors ligne et cette page n’est pas gardée sur ce téléphone.",
    "en": "You are offline and this page is not kept on this phone.",
}
ACTOR = {
    "fr": "Cette déclaration concerne une autre personne",
    "en": "This statement is about another person",
}
REFUSED = {"fr": "Refusé par la plateforme", "en": "Not accepted by the platform:"}

FORGE = """async ([other]) => {
  const Q = window.LmsOffline;
  const pkg = (await Q.all("packages"))[0].descriptor;
  const target = {objectType: "Activity", id: pkg.modules[0].iri,
                  definition: {type: pkg.module_type, name: {fr: "Module 1"}}};
  const someone = Q.statementMake(pkg, "launched", target);
  someone.actor = {objectType: "Agent", account: {homePage: pkg.actor.account.homePage,
                                                name: other}};
  await Q.enqueue(pkg, someone);
}"""


def test_offline_words_are_in_the_page_language_only(page, sign_in):
    keep_offline(page, sign_in, "fr")
    # A statement refused while the trainee was on a French page...
    page.goto("/fr/my-learning/")
    page.evaluate(FORGE, [str(uuid.uuid4())])
    page.reload()
    status = page.locator("#offline-status")
    expect(status).to_contain_text(ACTOR["fr"])
    expect(status).to_contain_text(REFUSED["fr"])
    # ...is explained in English on an English page, with no French left.
    page.goto("/en/my-learning/")
    expect(status).to_contain_text(ACTOR["en"])
    expect(status).to_contain_text(REFUSED["en"])
    expect(status).not_to_contain_text(ACTOR["fr"])
    expect(status).not_to_contain_text(REFUSED["fr"])

    # Offline, a page the phone does not keep: the fallback in the page's own language,
    # though the course was kept from French pages.
    page.context.set_offline(True)
    for language, other in (("en", "fr"), ("fr", "en")):
        page.goto(f"/{language}/learn/")
        main = page.locator("main")
        expect(main).to_contain_text(UNAVAILABLE[language])
        expect(main).not_to_contain_text(UNAVAILABLE[other])
        assert page.evaluate("document.documentElement.lang") == language
        expect(page.locator("#offline-status")).to_contain_text(ACTOR[language])
