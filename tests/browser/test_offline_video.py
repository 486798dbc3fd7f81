"""Videos offline (docs/offline.md): each is offered with its size before the download; the
one the trainee ticked is served from the phone without a connection, the one left out says
that it is not on the phone. (Playback itself is the browser's: the files here are not
real videos.)"""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents.models import Document
from wagtail.models import Collection

from courses.models import ModulePage
from tests.browser.test_offline import course_make, keep_offline
from tests.courses.builders import publish

pytestmark = pytest.mark.service_worker  # the tests drive the service worker

NOT_KEPT = {
    "fr": "Cette vidéo n’est pas gardée sur ce téléphone\u202f: elle sera lue au retour de la "
    "connexion. Vous pouvez la garder depuis la page du cours.",
    "en": "This video is not kept on this phone: it plays when the connection comes back. "
    "You can keep it from the course page.",
}
SIZE = {"fr": "4\u00a0Ko", "en": "4\u00a0KB"}
FETCH = """(url) => fetch(url).then(r => r.arrayBuffer().then(b => [r.status, b.byteLength]),
                                     () => "failed")"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_ticked_video_is_on_the_phone_and_the_other_says_it_is_not(
    page, sign_in, settings, tmp_path, language
):
    settings.MEDIA_ROOT = tmp_path
    course = course_make(language)
    if Collection.get_first_root_node() is None:  # the browser tests' database is flushed
        Collection.add_root(name="Root")
    films = [
        Document.objects.create(title=name, file=ContentFile(b"\0" * 4096, name=f"{name}.mp4"))
        for name in ("balisage", "signaler")
    ]
    module = ModulePage.objects.child_of(course).order_by("path").last().specific
    module.body = [
        {"type": "video", "value": {"video": film.pk, "captions": None, "poster": None,
                                    "title": film.title.title(), "transcript": ""}}
        for film in films
    ]  # fmt: skip
    publish(module)

    def choose(page):
        # Each video is offered with its size, before anything is downloaded.
        kept, left = (
            page.get_by_label(f"{name} ({SIZE[language]})") for name in ("Balisage", "Signaler")
        )
        kept.check()
        expect(left).not_to_be_checked()

    keep_offline(page, sign_in, language, course=course, choose=choose)
    page.context.set_offline(True)
    page.goto(module.url)
    figures = page.locator("figure.block-video")
    expect(figures.nth(1).locator(".offline-video")).to_have_text(NOT_KEPT[language])
    expect(figures.nth(0).locator(".offline-video")).to_have_count(0)
    assert page.evaluate(FETCH, films[0].url) == [200, 4096]  # from the phone
    assert page.evaluate(FETCH, films[1].url) == "failed"
