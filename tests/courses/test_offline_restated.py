"""Learning done offline counts at its own date: a published report of that period is
restated when the phone's statements arrive later, and the restatement names that reason,
"recorded later (offline sync)", apart from a participation recorded late on the server."""

import datetime
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Enrolment, ModulePage
from courses.offline.selectors import offline_package
from courses.services.enrolment import enrolment_create
from courses.services.progress import module_mark_done
from courses.services.statements import _person_uuid
from lms.xapi.emitter import offline_sync_extension
from lms.xapi.models import Statement
from tests.courses.builders import course_make
from tests.courses.offline_statements import device_statement
from tests.factories import totp_enable
from trainees.models import OnlineOutcome, Participation
from trainees.reports.filters import scope_from_filters
from trainees.reports.restatement import report_restate
from trainees.reports.services import report_publish

pytestmark = pytest.mark.django_db

LEARNT = datetime.datetime(2026, 1, 10, 12, 0)
OFFLINE = {
    "en": "Participation of Jan. 10, 2026 recorded later (offline sync): learnt on a phone "
    "without a connection and sent after publication.",
    "fr": "Participation du 10 janvier 2026 enregistrée plus tard (synchronisation hors "
    "ligne)\u202f: apprise sur un téléphone sans connexion et envoyée après la publication.",
}


def _enrolled(make_user, capture, course, username, *, started):
    trainee = make_user(role="trainee", username=username)
    with capture(execute=True):
        enrolment = enrolment_create(user=trainee, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=started)
    enrolment.refresh_from_db()
    return trainee, enrolment


def _sync_offline(client, capture, trainee, course, enrolment, when):
    package = offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(trainee))
    batch = [
        device_statement(package, "launched", when=when),
        device_statement(package, "experienced", when=when + timedelta(minutes=20)),
    ]
    client.force_login(trainee)
    with capture(execute=True):
        response = client.post(
            reverse("courses:offline_sync"),
            data=json.dumps({"statements": batch}),
            content_type="application/json",
        )
    assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted"]


def _publish(make_user, date_from, date_to):
    filters = {"date_from": date_from, "date_to": date_to}
    return report_publish(
        title="Report", scope=scope_from_filters(filters), user=make_user(role="coordinator"),
        filters=filters,
    )  # fmt: skip


def test_offline_completion_restates_the_report_of_its_period(
    client, home_page, make_user, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    course = course_make(questions=0, modules=(("Reconnaître", False),), programme_code="eod_iedd")
    learnt = timezone.make_aware(LEARNT)
    awa, enrolment = _enrolled(
        make_user, capture, course, "awa", started=learnt - timedelta(days=1)
    )
    report = _publish(make_user, "2026-01-01", "2026-01-31")
    assert report.figures["headlines"][0]["value"] == 0

    _sync_offline(client, capture, awa, course, enrolment, learnt)

    participation = Participation.objects.get(person__user=awa)
    assert participation.date == datetime.date(2026, 1, 10)  # the learning's date, not today
    # The platform's course completion says the learning was synced from a phone, and the
    # registry keeps it with the outcome.
    completed = _stored(participation.statement_id)
    assert completed["context"]["extensions"] == {offline_sync_extension(): True}
    assert OnlineOutcome.objects.get(statement_id=participation.statement_id).offline_sync
    for language in ("en", "fr"):
        with translation.override(language):
            restated = report_restate(report=report)
        trained = next(row for row in restated.headline_rows if row["code"] == "trained")
        assert (trained["published"], trained["restated"]) == (0, 1)
        reasons = [reason for change in restated.changes for reason in change.reasons]
        assert reasons == [OFFLINE[language]]


def test_offline_sync_is_a_reason_apart_from_a_participation_recorded_late_online(
    client, home_page, make_user, django_capture_on_commit_callbacks
):
    """Two participations recorded after publication in the year's report: one learnt
    offline in January and synced later, one completed online today. Each person, each
    breakdown row and the participations headline say which is which, on the report's
    page in English and in French."""
    capture = django_capture_on_commit_callbacks
    course = course_make(questions=0, modules=(("Reconnaître", False),), programme_code="eod_iedd")
    learnt = timezone.make_aware(LEARNT)
    awa, offline = _enrolled(make_user, capture, course, "awa", started=learnt - timedelta(days=1))
    bob, online = _enrolled(make_user, capture, course, "bob", started=learnt - timedelta(days=1))
    today = timezone.localdate()
    report = _publish(make_user, "2026-01-01", today.isoformat())

    _sync_offline(client, capture, awa, course, offline, learnt)
    module = ModulePage.objects.child_of(course).get()
    with capture(execute=True):
        module_mark_done(enrolment=online, module=module, course=course)
    late = Participation.objects.get(person__user=bob)
    assert late.date == today
    assert not OnlineOutcome.objects.get(statement_id=late.statement_id).offline_sync
    assert "extensions" not in _stored(late.statement_id).get("context", {})

    with translation.override("en"):
        restated = report_restate(report=report)
    by_person = {change.person.user.username: change.reasons for change in restated.changes}
    assert by_person == {
        "awa": [OFFLINE["en"]],
        "bob": [f"Participation of {_en(today)} recorded after publication."],
    }
    participations = next(
        row
        for row in restated.row_changes
        if (row.table, row.key) == ("headline", "participations")
    )
    assert participations.causes == [
        "1 recorded later (offline sync): learnt on a phone without a connection.",
        "1 recorded after publication.",
    ]
    january = next(
        row for row in restated.row_changes if (row.table, row.key) == ("month", "2026-01")
    )
    assert [c.reasons for c in january.changes] == [[OFFLINE["en"]]]

    coordinator = make_user(role="coordinator", username="coord")
    totp_enable(coordinator)  # staff roles sign in with a second factor
    client.force_login(coordinator)
    for language in ("en", "fr"):
        with translation.override(language):
            html = client.get(reverse("reports_published_detail", args=[report.pk])).content
        html = html.decode()
        assert f"<li>{OFFLINE[language]}</li>" in html
        assert OFFLINE["fr" if language == "en" else "en"] not in html
    assert (
        "<li>1 enregistrée(s) plus tard (synchronisation hors ligne)\u202f: apprise(s) sur un "
        "téléphone sans connexion.</li>" in html
    )


def _stored(statement_id) -> dict:
    raw = Statement.objects.get(statement_id=statement_id).raw
    return json.loads(raw) if isinstance(raw, str) else raw


def _en(day: datetime.date) -> str:
    from lms.core.formats import date_text

    with translation.override("en"):
        return date_text(day)
