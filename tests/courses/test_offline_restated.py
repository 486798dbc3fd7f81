"""Learning done offline counts at its own date: a published report of that period is
restated when the phone's statements arrive later."""

import datetime
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Enrolment
from courses.offline.selectors import offline_package
from courses.services.enrolment import enrolment_create
from courses.services.statements import _person_uuid
from tests.courses.builders import course_make
from tests.courses.offline_statements import device_statement
from trainees.models import Participation
from trainees.reports.filters import scope_from_filters
from trainees.reports.restatement import report_restate
from trainees.reports.services import report_publish

pytestmark = pytest.mark.django_db


def test_offline_completion_restates_the_report_of_its_period(
    client, home_page, make_user, django_capture_on_commit_callbacks
):
    course = course_make(questions=0, modules=(("Reconnaître", False),), programme_code="eod_iedd")
    trainee = make_user(role="trainee", username="awa")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(user=trainee, course=course)
    learnt = timezone.make_aware(datetime.datetime(2026, 1, 10, 12, 0))
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=learnt - timedelta(days=1))
    enrolment.refresh_from_db()
    filters = {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    report = report_publish(
        title="January", scope=scope_from_filters(filters), user=make_user(role="coordinator"),
        filters=filters,
    )  # fmt: skip
    assert report.figures["headlines"][0]["value"] == 0

    package = offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(trainee))
    batch = [
        device_statement(package, "launched", when=learnt),
        device_statement(package, "experienced", when=learnt + timedelta(minutes=20)),
    ]
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses:offline_sync"),
            data=json.dumps({"statements": batch}),
            content_type="application/json",
        )
    assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted"]

    participation = Participation.objects.get(person__user=trainee)
    assert participation.date == datetime.date(2026, 1, 10)  # the learning's date, not today
    with translation.override("en"):
        restated = report_restate(report=report)
    trained = next(row for row in restated.headline_rows if row["code"] == "trained")
    assert (trained["published"], trained["restated"]) == (0, 1)
    reasons = [reason for change in restated.changes for reason in change.reasons]
    assert reasons == ["Participation of Jan. 10, 2026 recorded after publication."]
