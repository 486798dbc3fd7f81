"""The report cache: exact invalidation by the registry's data version, identical figures."""

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation

from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.models import CountsCacheEntry, Participation, Person
from trainees.reports.cache import (
    default_scopes,
    registry_version,
    report_cache_key,
    report_cache_rewarm_schedule,
    report_cache_warm,
    report_cache_warm_task,
)
from trainees.reports.selectors import report_build, report_frozen
from trainees.review.services import person_merge
from trainees.selectors.counting import CountScope
from trainees.services import participation_void

pytestmark = pytest.mark.django_db

D = datetime.date


def _registry():
    eod, wam = ProgrammeFactory(code="eod_iedd"), ProgrammeFactory(code="wam")
    awa = PersonFactory(given_names="Awa", family_name="Traoré", sex="F")
    twin = PersonFactory(given_names="Awa", family_name="Traore", sex="F")
    other = PersonFactory(birth_date=D(2006, 3, 1))
    ParticipationFactory(person=awa, event=TrainingEventFactory(programme=eod))
    ParticipationFactory(person=twin, event=TrainingEventFactory(programme=wam))
    ParticipationFactory(
        person=other, event=TrainingEventFactory(programme=eod, start_date=D(2022, 5, 1))
    )
    return awa, twin, other


def _trained(scope=None) -> int:
    report = report_build(scope=scope or CountScope(), figure="trained")
    return report.headline("trained").value


def test_cached_and_live_reports_are_identical(django_assert_max_num_queries):
    _registry()
    live = report_frozen(report=report_build(scope=CountScope(), cached=False))
    first = report_frozen(report=report_build(scope=CountScope()))  # builds and stores
    with django_assert_max_num_queries(3):  # version, cached entry, certificates
        second = report_frozen(report=report_build(scope=CountScope()))
    assert live == first == second
    assert CountsCacheEntry.objects.count() == 1


def test_a_merge_restates_the_cached_figure_at_once(coordinator):
    awa, twin, _other = _registry()
    assert _trained() == 3
    version = registry_version()
    person_merge(survivor=awa, merged=twin, user=coordinator, reason="Same NINA")
    assert registry_version() > version
    assert _trained() == 2
    report = report_build(scope=CountScope())
    assert report_frozen(report=report) == report_frozen(
        report=report_build(scope=CountScope(), cached=False)
    )


def test_a_void_through_the_service_or_a_bare_update_invalidates():
    awa, _twin, other = _registry()
    assert _trained() == 3
    participation_void(participation=Participation.objects.get(person=awa), reason="Twice")
    assert _trained() == 2
    # No path can forget to invalidate: even a bulk update outside the services does.
    Participation.objects.filter(person=other).update(voided=True)
    assert _trained() == 1


def test_a_birth_date_correction_moves_the_cached_age_band():
    _awa, _twin, other = _registry()
    ages = {r.key: r.count for r in _age_rows()}
    assert ages == {"18_plus": 2, "under_18": 1}
    Person.objects.filter(pk=other.pk).update(birth_date=D(1980, 3, 1), birth_year=1980)
    assert {r.key: r.count for r in _age_rows()} == {"18_plus": 3}


def _age_rows():
    report = report_build(scope=CountScope())
    return next(t for t in report.tables if t.by == "age_band").rows


def test_filters_in_another_order_share_one_entry():
    one = CountScope(programmes=("eod_iedd", "wam"), sexes=("F", "M"))
    two = CountScope(programmes=("wam", "eod_iedd", "wam"), sexes=("M", "F"))
    args = {"figure": "trained", "with_breakdowns": True}
    assert report_cache_key(scope=one, **args) == report_cache_key(scope=two, **args)
    assert report_cache_key(scope=one, **args) != report_cache_key(
        scope=one.replace(sexes=("F",)), **args
    )


def test_each_language_has_its_own_entry():
    _registry()
    with translation.override("fr"):
        french = report_build(scope=CountScope())
    with translation.override("en"):
        english = report_build(scope=CountScope())
    assert french.headline("trained").label == "Personnes uniques formées"
    assert english.headline("trained").label == "Unique people trained"
    assert CountsCacheEntry.objects.count() == 2


def test_the_rewarm_task_builds_the_default_dashboards(django_assert_max_num_queries):
    _registry()
    report_cache_warm_task.enqueue()  # the immediate backend of the tests runs it now
    # Every default scope in French and English, ready before anyone asks.
    assert CountsCacheEntry.objects.count() == 2 * len(default_scopes())
    with django_assert_max_num_queries(3):
        assert _trained() == 3
    assert report_cache_warm() == 0  # nothing left to build


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_writes_schedule_one_deferred_rewarm(django_capture_on_commit_callbacks, coordinator):
    from django_tasks_db.models import DBTaskResult

    awa, twin, _other = _registry()
    cache.delete("reports:rewarm-pending")
    with django_capture_on_commit_callbacks(execute=True):
        person_merge(survivor=awa, merged=twin, user=coordinator, reason="Same NINA")
    with django_capture_on_commit_callbacks(execute=True):
        participation_void(participation=Participation.objects.filter(person=awa)[0], reason="x")
        report_cache_rewarm_schedule()
    queued = DBTaskResult.objects.filter(task_path__endswith="report_cache_warm_task")
    assert queued.count() == 1  # debounced: one re-warm for every write before it runs
    assert queued.get().run_after > timezone.now()


@pytest.mark.parametrize(
    "scope", [CountScope(), CountScope(date_from=D(2022, 1, 1), date_to=D(2022, 12, 31))]
)
def test_the_first_screen_leaves_out_the_long_breakdowns_and_nothing_else(scope):
    from trainees.reports.selectors import DEFERRED_DIMENSIONS

    _registry()
    whole = report_frozen(report=report_build(scope=scope, cached=False))
    light = report_build(scope=scope, cached=False, deferred=DEFERRED_DIMENSIONS)
    assert [t.by for t in light.tables if t.deferred] == list(DEFERRED_DIMENSIONS)
    frozen = report_frozen(report=light)
    kept = [t for t in whole["tables"] if t["by"] not in DEFERRED_DIMENSIONS]
    assert [t for t in frozen["tables"] if t["by"] not in DEFERRED_DIMENSIONS] == kept
    assert {k: v for k, v in frozen.items() if k != "tables"} == {
        k: v for k, v in whole.items() if k != "tables"
    }


def test_a_stored_whole_report_serves_the_first_screen(django_assert_max_num_queries):
    from trainees.reports.selectors import DEFERRED_DIMENSIONS

    _registry()
    report_build(scope=CountScope())  # the whole report, as the re-warm stores it
    with django_assert_max_num_queries(3):  # version, cached entry, certificates
        light = report_build(scope=CountScope(), deferred=DEFERRED_DIMENSIONS)
    assert not any(t.deferred for t in light.tables)
    assert CountsCacheEntry.objects.count() == 1
    CountsCacheEntry.objects.all().delete()
    light = report_build(scope=CountScope(), deferred=DEFERRED_DIMENSIONS)  # built light
    assert [t.by for t in light.tables if t.deferred] == list(DEFERRED_DIMENSIONS)
    whole = report_build(scope=CountScope())  # never served by the lighter entry
    assert not any(t.deferred for t in whole.tables)
    assert CountsCacheEntry.objects.count() == 2
