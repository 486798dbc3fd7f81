"""Restatement of every frozen figure and breakdown row, not only the headline: the people
who left or joined each row that changed, and why."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory, UserFactory
from tests.reports.test_drilldown_property import build_registry, participation
from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)
from trainees.reports.filters import scope_from_filters
from trainees.reports.models import PublishedReport
from trainees.reports.restatement import report_restate, report_row_people
from trainees.reports.selectors import report_build
from trainees.reports.services import report_publish
from trainees.review.services import person_merge
from trainees.services import participation_void

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def gao_and_tbk():
    """Awa and her duplicate (two women) in Gao, a man in Timbuktu, a woman in both."""
    gao = FieldOfficeFactory(code="gao", name="Gao")
    tbk = FieldOfficeFactory(code="tbk", name="Timbuktu")
    in_gao = TrainingEventFactory(place=PlaceFactory(field_office=gao), start_date=D(2022, 2, 1))
    in_tbk = TrainingEventFactory(place=PlaceFactory(field_office=tbk), start_date=D(2023, 5, 1))
    awa = PersonFactory(given_names="Awa", family_name="Traoré", sex="F")
    twin = PersonFactory(given_names="Awa", family_name="Traore", sex="F")
    moussa = PersonFactory(given_names="Moussa", family_name="Coulibaly", sex="M")
    fatou = PersonFactory(given_names="Fatou", family_name="Maïga", sex="F")
    ParticipationFactory(person=awa, event=in_gao)
    ParticipationFactory(person=twin, event=in_gao)
    ParticipationFactory(person=moussa, event=in_tbk)
    ParticipationFactory(person=fatou, event=in_gao)
    voidable = ParticipationFactory(person=fatou, event=in_tbk)
    return {"awa": awa, "twin": twin, "moussa": moussa, "fatou": fatou, "voidable": voidable}


def _publish(user, **filters):
    return report_publish(title="R", scope=scope_from_filters(filters), user=user, filters=filters)


def _row(restated, table, key):
    return next(r for r in restated.row_changes if (r.table, r.key) == (table, key))


def test_the_people_behind_every_row_are_frozen_and_match_the_published_counts(gao_and_tbk):
    report = _publish(UserFactory(role="coordinator"))
    rows = report.row_people["tables"]
    for table in report.figures["tables"]:
        for row in table["rows"]:
            key = "" if row["key"] is None else row["key"]
            assert len(rows[table["by"]][key]) == row["count"], (table["by"], key)
    assert len(rows["sex"]["F"]) == 3
    offices = {o.code: str(o.pk) for o in _offices()}
    assert sorted(rows["field_office"][offices["gao"]]) == sorted(
        [gao_and_tbk[n].pk for n in ("awa", "twin", "fatou")]
    )
    assert report.row_people["new_people"] == {
        "2022": sorted(gao_and_tbk[n].pk for n in ("awa", "twin", "fatou")),
        "2023": [gao_and_tbk["moussa"].pk],
    }


def _offices():
    from lms.accounts.models import FieldOffice

    return FieldOffice.objects.all()


def test_a_merge_that_lowers_female_in_gao_shows_on_both_rows_with_the_merge(
    client, coordinator, gao_and_tbk
):
    report = _publish(coordinator)
    person_merge(
        survivor=gao_and_tbk["awa"], merged=gao_and_tbk["twin"], user=coordinator, reason="NINA"
    )
    restated = report_restate(report=PublishedReport.objects.get(pk=report.pk))
    gao = str(_offices().get(code="gao").pk)
    female, in_gao = _row(restated, "sex", "F"), _row(restated, "field_office", gao)
    for row, label in ((female, "Female"), (in_gao, "Gao")):
        assert (row.label, row.published, row.restated, row.difference) == (label, 3, 2, -1)
        assert (row.removed, row.added, row.explained) == (1, 0, True)
        (change,) = row.changes
        assert (change.person, change.direction) == (gao_and_tbk["twin"], "removed")
        assert change.reasons[0].startswith("Merged into Awa Traoré on ")
    # Men and Timbuktu did not change: they are not listed.
    assert not [r for r in restated.row_changes if (r.table, r.key) in (("sex", "M"),)]
    trained = _row(restated, "headline", "trained")
    assert (trained.published, trained.restated) == (4, 3)

    html = client.get(reverse("reports_published_detail", args=[report.pk])).content.decode()
    assert f'data-table="field_office" data-key="{gao}"' in html
    assert "Field office: Gao" in html and "3 → 2 (-1)" in html
    assert 'data-table="sex" data-key="F"' in html and "Sex: Female" in html
    assert html.count("Merged into Awa Traoré on ") >= 3  # headline, Female, Gao, ...
    assert AuditEvent.objects.filter(action="report.restatement").count() == 1


def test_a_voided_participation_is_explained_on_its_rows(coordinator, gao_and_tbk):
    report = _publish(coordinator)
    participation_void(participation=gao_and_tbk["voidable"], reason="Wrong roster")
    restated = report_restate(report=report)
    tbk = str(_offices().get(code="tbk").pk)
    row = _row(restated, "field_office", tbk)
    assert (row.published, row.restated) == (2, 1)
    (change,) = row.changes
    assert change.person == gao_and_tbk["fatou"]
    assert any("voided: Wrong roster" in reason for reason in change.reasons)
    assert _row(restated, "year", "2023").restated == 1
    # Fatou is still trained (in Gao): that headline did not change and is not listed; the
    # participations (rows) lost one, and say why.
    headlines = {r.key: r for r in restated.row_changes if r.table == "headline"}
    assert list(headlines) == ["participations"]
    assert headlines["participations"].causes == ["1 voided since publication."]


def test_a_correction_moving_a_person_between_rows_is_explained_on_both(coordinator, gao_and_tbk):
    report = _publish(coordinator)
    moussa = gao_and_tbk["moussa"]
    moussa.sex = "F"
    moussa.save()
    restated = report_restate(report=report)
    male, female = _row(restated, "sex", "M"), _row(restated, "sex", "F")
    assert (male.published, male.restated, female.published, female.restated) == (1, 0, 3, 4)
    assert [c.direction for c in male.changes] == ["removed"]
    assert [c.direction for c in female.changes] == ["added"]
    assert female.changes[0].reasons == [
        "The person's record (sex, date of birth) was corrected since publication."
    ]


def test_without_personal_data_the_counts_and_reasons_name_nobody(coordinator, gao_and_tbk):
    report = _publish(coordinator)
    person_merge(
        survivor=gao_and_tbk["awa"], merged=gao_and_tbk["twin"], user=coordinator, reason="NINA"
    )
    restated = report_restate(report=report, names=False)
    female = _row(restated, "sex", "F")
    assert (female.removed, female.difference) == (1, -1)
    (change,) = female.changes
    assert change.person is None
    assert change.reasons[0].startswith("Merged into another person on ")
    assert "Traor" not in " ".join(r for row in restated.row_changes for c in row.changes
                                   for r in c.reasons)  # fmt: skip


def test_briefed_headline_is_explained(coordinator):
    briefing = TrainingEventFactory(kind="briefing", start_date=D(2022, 1, 1))
    part = ParticipationFactory(event=briefing, outcome="attended")
    report = _publish(coordinator)
    assert report.row_people["headlines"]["briefed"] == [part.person_id]
    participation_void(participation=part, reason="Not there")
    restated = report_restate(report=report)
    briefed = _row(restated, "headline", "briefed")
    assert (briefed.published, briefed.restated) == (1, 0)
    assert any("voided: Not there" in r for r in briefed.changes[0].reasons)


def test_an_older_report_without_people_per_row_explains_its_headline_only(
    client, coordinator, gao_and_tbk
):
    report = _publish(coordinator)
    PublishedReport.objects.filter(pk=report.pk).update(row_people={})
    participation_void(participation=gao_and_tbk["voidable"], reason="Wrong roster")
    participation_void(participation=gao_and_tbk["moussa"].participations.get(), reason="Duplicate")
    restated = report_restate(report=PublishedReport.objects.get(pk=report.pk))
    trained = _row(restated, "headline", "trained")
    assert trained.explained and trained.changes[0].person == gao_and_tbk["moussa"]
    male = _row(restated, "sex", "M")
    assert (male.published, male.restated, male.explained, male.changes) == (1, 0, False, [])
    html = client.get(reverse("reports_published_detail", args=[report.pk])).content.decode()
    assert "This report was published before the people behind each row were kept" in html


class FrozenRowsEqualTheFigures(TestCase):
    """Property: on a generated registry (merges, voided rows, births, age schemes), the
    people frozen per row are exactly as many as each published number, and every breakdown
    is taken from the one scan (no row-by-row fallback)."""

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        rows=st.lists(participation, min_size=1, max_size=25),
        births=st.lists(
            st.one_of(st.none(), st.dates(D(1950, 1, 1), D(2012, 1, 1))), min_size=8, max_size=8
        ),
        merge=st.booleans(),
        scheme=st.sampled_from(["default", "fine"]),
    )
    def test_frozen_rows(self, rows, births, merge, scheme):
        from unittest import mock

        from trainees.reports import restatement

        build_registry(rows, births, merge)
        scope = scope_from_filters({"age_scheme": scheme})
        report = report_build(scope=scope, figure="trained")
        recounted = []
        real = restatement._people_of_row

        def spy(scope, by, key):
            recounted.append(by)
            return real(scope, by, key)

        with mock.patch.object(restatement, "_people_of_row", spy):
            frozen = report_row_people(scope=scope, report=report)
        assert recounted == []  # no row taken one by one
        for table in report.tables:
            stored = frozen["tables"][table.by]
            assert {k: len(v) for k, v in stored.items()} == {
                "" if r.key is None else str(r.key): r.count for r in table.rows
            }, table.by
        new = {str(r.key): r.count for r in report.new_people.rows}
        assert {k: len(v) for k, v in frozen["new_people"].items()} == new


def test_figures_of_rows_say_what_moved_them(
    client, coordinator, gao_and_tbk, make_user, home_page
):
    """Participations and certificates count rows, not people: their restatement counts the
    rows voided, recorded, corrected, revoked or issued since publication, and what remains."""
    from courses.services.certificates import certificate_issue, certificate_revoke
    from courses.services.enrolment import enrolment_create
    from tests.courses.builders import course_make
    from trainees.models import Participation

    course = course_make(title="Sensibilisation NEM")

    def issue():
        enrolment = enrolment_create(user=make_user(), course=course)
        return certificate_issue(enrolment=enrolment, course=course)

    certificates = [issue() for _ in range(3)]
    report = _publish(coordinator)
    participation_void(participation=gao_and_tbk["voidable"], reason="Duplicate roster row")
    ParticipationFactory(person=gao_and_tbk["moussa"], event=TrainingEventFactory())
    Participation.objects.filter(person=gao_and_tbk["twin"]).delete()
    corrected = Participation.objects.get(person=gao_and_tbk["awa"])
    corrected.outcome = "passed"
    corrected.save()
    certificate_revoke(certificate=certificates[0], user=coordinator, reason="Fraud")
    issue(), issue()

    restated = report_restate(report=report)
    row = _row(restated, "headline", "participations")
    assert (row.published, row.restated) == (5, 4)
    assert row.causes == [
        "1 voided since publication.",
        "1 recorded after publication.",
        "1 corrected since publication (still in the scope).",
        "1 more left the scope than entered it otherwise: combined in a merge, deleted, or "
        "moved out of the scope by a correction.",
    ]
    row = _row(restated, "headline", "certificates")
    assert (row.published, row.restated) == (3, 4)
    assert row.causes == ["1 revoked since publication.", "2 issued after publication."]

    html = client.get(reverse("reports_published_detail", args=[report.pk])).content.decode()
    assert '<ul class="causes"><li>1 voided since publication.</li>' in html
    assert "<li>2 issued after publication.</li>" in html
