"""The sync endpoint: what a phone may send, what it may not, and the completion rules."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Certificate, Enrolment, ModulePage, ModuleProgress
from courses.offline.selectors import offline_package
from courses.offline.services import BATCH_MAX
from courses.services.enrolment import enrolment_create
from courses.services.statements import _person_uuid
from lms.core.models import AuditEvent
from lms.xapi.models import Statement
from tests.courses.builders import course_make
from tests.courses.offline_statements import device_statement

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def studying(course, trainee, client):
    enrolment = enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    package = offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(trainee))
    return enrolment, package


def sync(client, statements):
    return client.post(
        reverse("courses:offline_sync"),
        data=json.dumps({"statements": statements}),
        content_type="application/json",
    )


def results(response):
    assert response.status_code == 200, response.content
    return [(r["status"], r.get("reason", "")) for r in response.json()["results"]]


def test_package_names_what_the_phone_needs(client, course, studying):
    enrolment, package = studying
    response = client.get(
        reverse("courses:offline_package", kwargs={"course_key": course.translation_key})
    )
    assert response.status_code == 200
    body = response.json()
    assert body["registration"] == str(enrolment.public_id)
    assert len(body["modules"]) == 2
    assert body["modules"][0]["checks"][0]["correct"] == [1]
    assert body["videos"] == []
    assert body["version"] == package["version"]
    # The fallback page in each language: a page of the other language gets its own.
    assert {"/fr/learn/offline/unavailable/", "/en/learn/offline/unavailable/"} <= set(
        body["pages"]
    )


def test_package_refused_to_someone_not_enrolled(client, course, make_user):
    client.force_login(make_user(role="trainee", username="other"))
    response = client.get(
        reverse("courses:offline_package", kwargs={"course_key": course.translation_key})
    )
    assert response.status_code == 403
    assert response.json() == {"error": "Only a course you are studying can be kept on this phone."}


def test_new_revision_changes_the_package_version(course, studying, trainee):
    enrolment, package = studying
    module = ModulePage.objects.child_of(course).first().specific
    module.title = "Reconnaître (révisé)"
    module.save_revision().publish()
    again = offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(trainee))
    assert again["version"] != package["version"]


def test_synced_learning_completes_modules_and_course_at_its_own_time(client, trainee, home_page):
    course = course_make(questions=0)
    enrolment = enrolment_create(user=trainee, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=timezone.now() - timedelta(days=3))
    client.force_login(trainee)
    package = offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(trainee))
    learnt = timezone.now() - timedelta(days=2)
    batch = [
        device_statement(package, "launched", when=learnt),
        device_statement(
            package,
            "answered",
            check=0,
            response="0",
            success=False,
            when=learnt + timedelta(minutes=1),
        ),
        device_statement(
            package,
            "answered",
            check=0,
            response="1",
            success=True,
            when=learnt + timedelta(minutes=2),
        ),
        device_statement(package, "launched", module=1, when=learnt + timedelta(minutes=3)),
        device_statement(package, "experienced", module=1, when=learnt + timedelta(minutes=9)),
    ]
    assert results(sync(client, batch)) == [("accepted", "")] * 5
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert abs(enrolment.completed_at - (learnt + timedelta(minutes=9))) < timedelta(seconds=1)
    progress = ModuleProgress.objects.get(
        enrolment=enrolment, module_key=package["modules"][0]["key"]
    )
    assert progress.answers == {"kc0": [1]} and progress.check_attempts == {"kc0": 2}
    assert Statement.objects.filter(statement_id__in=[s["id"] for s in batch]).count() == 5
    completed = Statement.objects.filter(verb_id=COMPLETED, registration=enrolment.public_id)
    assert completed.count() == 3  # two modules and the course
    course_done = completed.get(object_activity_id=package["course_activity"]["id"])
    assert course_done.timestamp.date() == (learnt + timedelta(minutes=9)).date()
    assert Certificate.objects.get(enrolment=enrolment).issued_at == enrolment.completed_at


def test_resending_a_batch_stores_nothing_twice(client, studying):
    _enrolment, package = studying
    batch = [
        device_statement(package, "launched"),
        device_statement(package, "answered", check=0, response="1", success=True),
    ]
    assert results(sync(client, batch)) == [("accepted", "")] * 2
    response = sync(client, batch)
    assert [r.get("already") for r in response.json()["results"]] == [True, True]
    assert Statement.objects.filter(statement_id__in=[s["id"] for s in batch]).count() == 2
    assert Statement.objects.filter(verb_id=COMPLETED).count() == 1


def test_another_actor_another_course_and_bad_times_are_refused_with_reason(
    client, studying, trainee, make_user, home_page
):
    enrolment, package = studying
    other_course = course_make(title="Autre cours", programme_code="wam")
    stranger = make_user(role="trainee", username="stranger")
    other_enrolment = enrolment_create(user=stranger, course=other_course)
    theirs = offline_package(
        course=other_course, enrolment=other_enrolment, person_uuid=_person_uuid(stranger)
    )
    someone_else = device_statement(package, "launched")
    someone_else["actor"] = theirs["actor"]
    other_activity = device_statement(package, "launched")
    other_activity["object"]["id"] = theirs["modules"][0]["iri"]
    not_mine = device_statement(theirs, "launched")
    not_mine["actor"] = package["actor"]
    future = device_statement(package, "launched", when=timezone.now() + timedelta(hours=1))
    early = device_statement(package, "launched", when=enrolment.started_at - timedelta(days=1))
    wrong_marking = device_statement(package, "answered", check=0, response="0", success=True)
    assessment = device_statement(package, "answered", check=0, response="1")
    assessment["verb"]["id"] = "http://adlnet.gov/expapi/verbs/passed"
    good = device_statement(package, "launched")
    batch = [someone_else, other_activity, not_mine, future, early, wrong_marking, assessment, good]
    assert results(sync(client, batch)) == [
        ("refused", "This statement is about another person: only your own learning can be sent."),
        ("refused", "This activity is not part of the course."),
        ("refused", "This statement is not about one of your courses."),
        ("refused", "The time of this statement is in the future: check the phone's clock."),
        ("refused", "The time of this statement is before your enrolment in the course."),
        ("refused", "The marking of this answer does not match the course."),
        ("refused", "Only module visits, modules done and knowledge-check answers can be sent."),
        ("accepted", ""),
    ]
    assert Statement.objects.filter(statement_id__in=[s["id"] for s in batch]).count() == 1
    event = AuditEvent.objects.get(action="offline.statements_refused")
    assert event.reason == "suspicious"
    assert {row["code"] for row in event.detail["refused"]} >= {"actor", "course", "registration"}


def test_a_replayed_id_with_other_content_is_refused(client, studying):
    _enrolment, package = studying
    first = device_statement(package, "launched")
    assert results(sync(client, [first])) == [("accepted", "")]
    forged = device_statement(package, "launched", module=1)
    forged["id"] = first["id"]
    assert results(sync(client, [forged])) == [
        ("refused", "This statement id is already used by another statement.")
    ]


def test_the_final_assessment_cannot_be_sent_from_a_phone(client, course, studying):
    _enrolment, package = studying
    statement = device_statement(package, "launched")
    statement["object"]["id"] = (
        f"{package['course_activity']['id'].rsplit('/course/', 1)[0]}/assessment/"
        f"{course.assessment_uuid}"
    )
    assert results(sync(client, [statement])) == [
        ("refused", "The final assessment needs a connection: it is scored on the server.")
    ]


def test_done_before_the_checks_is_refused_and_does_not_block_the_rest(client, studying):
    _enrolment, package = studying
    done_too_soon = device_statement(package, "experienced", module=0)
    other = device_statement(package, "experienced", module=1)
    assert results(sync(client, [done_too_soon, other])) == [
        ("refused", "Answer every knowledge check of this module first."),
        ("accepted", ""),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"statements": 3}',
        json.dumps({"statements": [{}] * (BATCH_MAX + 1)}).encode(),
    ],
)
def test_bad_bodies_are_400_never_500(client, studying, body):
    response = client.post(
        reverse("courses:offline_sync"), data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "error" in response.json()


def test_garbage_statements_are_refused_one_by_one(client, studying):
    _enrolment, package = studying
    good = device_statement(package, "launched")
    garbage = [3, {"id": "x"}, {"id": str(uuid.uuid4()), "actor": "me"}, good]
    outcome = results(sync(client, garbage))
    assert [status for status, _ in outcome] == ["refused", "refused", "refused", "accepted"]
    assert outcome[1][1] == "This statement has no valid id."


def test_signed_out_phone_is_told_and_nothing_is_stored(client, studying):
    _enrolment, package = studying
    client.logout()
    response = sync(client, [device_statement(package, "launched")])
    assert response.status_code == 401
    assert response.json() == {"error": "Sign in again: your activities wait on this phone."}


def test_future_tolerance_is_a_few_minutes(client, studying):
    _enrolment, package = studying
    slightly_ahead = device_statement(
        package, "launched", when=timezone.now() + timedelta(minutes=2)
    )
    assert results(sync(client, [slightly_ahead])) == [("accepted", "")]


def test_session_gives_account_and_token(client, studying, trainee):
    response = client.get(reverse("courses:offline_session"))
    assert response.json()["account"] == trainee.pk and response.json()["csrf"]
    assert "no-cache" in response["Cache-Control"]


def test_package_keeps_phone_renditions_documents_captions_and_offers_videos(
    client, course, trainee, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Mine", file=get_test_image_file(size=(1600, 900)))
    sop = Document.objects.create(title="SOP", file=ContentFile(b"%PDF-1.4 sop", name="sop.pdf"))
    video = Document.objects.create(title="Film", file=ContentFile(b"\0" * 4096, name="film.mp4"))
    captions = Document.objects.create(title="VTT", file=ContentFile(b"WEBVTT\n", name="fr.vtt"))
    module = ModulePage.objects.child_of(course).order_by("path").last().specific
    module.body = [
        {"type": "image", "value": {"image": image.pk, "alt": "Une mine", "caption": ""}},
        {"type": "document", "value": {"document": sop.pk, "title": "SOP", "description": ""}},
        {
            "type": "video",
            "value": {"video": video.pk, "captions": captions.pk, "poster": None,
                      "title": "Balisage", "transcript": ""},
        },
    ]  # fmt: skip
    module.save_revision().publish()
    enrolment = enrolment_create(user=trainee, course=course)
    package = offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(trainee))
    urls = [f["url"] for f in package["files"]]
    assert [u for u in urls if "/images/" in u] == [
        image.get_rendition("width-360").url,
        image.get_rendition("width-720").url,
    ]
    assert sop.url in urls and captions.url in urls
    assert video.url not in urls
    assert package["videos"] == [
        {"url": video.url, "title": "Balisage", "size": 4096, "module": module.title}
    ]
