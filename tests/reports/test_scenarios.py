"""The counting scenarios of issue 6, through the report's own figures and pages."""

import datetime

import pytest
from django.urls import reverse

from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.reports.filters import scope_from_filters
from trainees.reports.models import PublishedReport
from trainees.reports.restatement import report_restate
from trainees.reports.selectors import report_build
from trainees.reports.services import report_publish
from trainees.review.services import person_merge, person_unmerge
from trainees.services import participation_void

pytestmark = pytest.mark.django_db

D = datetime.date


def _headlines(scope=None):
    report = report_build(scope=scope or scope_from_filters({}), figure="trained")
    return {h.code: h.value for h in report.headlines}, report


def test_one_person_attending_five_activities_counts_once():
    person = PersonFactory()
    for month in range(1, 6):
        ParticipationFactory(
            person=person, event=TrainingEventFactory(start_date=D(2022, month, 1))
        )
    values, report = _headlines()
    assert values["trained"] == 1
    assert values["participations"] == 5
    months = next(t for t in report.tables if t.by == "month")
    assert [r.count for r in months.rows] == [1, 1, 1, 1, 1]
    assert months.overlapping is True  # five rows of one person, total 1


def test_total_across_programmes_is_not_the_sum_of_programmes(client, coordinator):
    eod, wam = ProgrammeFactory(code="eod_iedd"), ProgrammeFactory(code="wam")
    both = PersonFactory()
    ParticipationFactory(person=both, event=TrainingEventFactory(programme=eod))
    ParticipationFactory(person=both, event=TrainingEventFactory(programme=wam))
    ParticipationFactory(event=TrainingEventFactory(programme=eod))
    values, report = _headlines()
    programmes = next(t for t in report.tables if t.by == "programme")
    assert [r.count for r in programmes.rows] == [2, 1]
    assert values["trained"] == 2
    response = client.get(reverse("reports_dashboard"))
    assert response.status_code == 200
    assert (
        "A person can be in several rows: the rows add up to more than the total (2 people), "
        "which counts each person once." in response.content.decode()
    )


def test_attended_but_failed_is_not_trained():
    ParticipationFactory(outcome="failed")
    ParticipationFactory(outcome="attended")
    ParticipationFactory(outcome="passed")
    values, report = _headlines()
    assert values["trained"] == 1
    assert values["participations"] == 3
    outcomes = next(t for t in report.tables if t.by == "outcome")
    assert [(r.key, r.count) for r in outcomes.rows] == [("passed", 1)]


def test_a_voided_statement_removes_its_participation_from_every_figure():
    person = PersonFactory(sex="F")
    kept = ParticipationFactory(person=person, event=TrainingEventFactory(start_date=D(2021, 5, 1)))
    voided = ParticipationFactory(event=TrainingEventFactory(start_date=D(2022, 5, 1)))
    before, _ = _headlines()
    assert (before["trained"], before["participations"]) == (2, 2)
    participation_void(participation=voided, reason="Recorded twice")
    after, report = _headlines()
    assert (after["trained"], after["participations"]) == (1, 1)
    for table in report.tables:
        assert sum(r.count for r in table.rows) == 1, table.by
    assert [r.key for r in next(t for t in report.tables if t.by == "year").rows] == [2021]
    assert report.new_people.total == 1
    assert kept.person.sex == "F"


def test_a_merge_lowers_the_restated_count_and_the_published_report_keeps_its_number(
    client, coordinator
):
    awa = PersonFactory(given_names="Awa", family_name="Traoré")
    twin = PersonFactory(given_names="Awa", family_name="Traore")
    ParticipationFactory(person=awa, event=TrainingEventFactory(start_date=D(2022, 2, 1)))
    ParticipationFactory(person=twin, event=TrainingEventFactory(start_date=D(2022, 6, 1)))
    ParticipationFactory()
    published = report_publish(
        title="2022", scope=scope_from_filters({}), user=coordinator, filters={}
    )
    assert published.figures["headlines"][0] == {
        "code": "trained",
        "label": "Unique people trained",
        "value": 3,
        "cumulative": None,
        # No pair awaits review: the range is the figure itself.
        "lowest": 3,
        "expected": 3.0,
        "pairs_pending": 0,
    }
    person_merge(survivor=awa, merged=twin, user=coordinator, reason="Same NINA")
    restated = report_restate(report=PublishedReport.objects.get(pk=published.pk))
    trained = restated.headline_rows[0]
    assert (trained["published"], trained["restated"], trained["difference"]) == (3, 2, -1)
    assert restated.removed == 1 and restated.added == 0
    assert restated.changes[0].person == twin
    assert restated.changes[0].reasons[0].startswith("Merged into Awa Traoré on ")

    response = client.get(reverse("reports_published_detail", args=[published.pk]))
    html = response.content.decode()
    assert '<td class="num published">3</td><td class="num restated">2</td>' in html
    assert "Merged into Awa Traoré on" in html

    person_unmerge(merge=_merge(twin), user=coordinator, reason="Two sisters")
    restated = report_restate(report=published)
    assert restated.headline_rows[0]["restated"] == 3


def _merge(person):
    from trainees.models import Merge

    return Merge.objects.get(merged=person, undone_at__isnull=True)


def test_a_voided_participation_after_publication_is_explained():
    from tests.factories import UserFactory

    user = UserFactory(role="coordinator")
    part = ParticipationFactory()
    published = report_publish(title="R", scope=scope_from_filters({}), user=user, filters={})
    participation_void(participation=part, reason="Wrong roster")
    restated = report_restate(report=published)
    assert restated.headline_rows[0]["restated"] == 0
    assert any("voided: Wrong roster" in r for r in restated.changes[0].reasons)


def test_a_participation_recorded_after_publication_is_explained():
    from tests.factories import UserFactory

    user = UserFactory(role="coordinator")
    published = report_publish(title="R", scope=scope_from_filters({}), user=user, filters={})
    ParticipationFactory()
    restated = report_restate(report=published)
    assert (restated.removed, restated.added) == (0, 1)
    assert restated.changes[0].reasons[0].endswith("recorded after publication.")
