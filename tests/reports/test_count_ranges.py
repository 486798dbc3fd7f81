"""Counts that state their uncertainty while pairs await review (issue 11, item 6)."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.trainees.factories import ParticipationFactory, PersonFactory, TrainingEventFactory
from trainees.reports.ranges import figure_text, range_note
from trainees.reports.selectors import report_build, report_frozen
from trainees.review.models import ReviewPair
from trainees.selectors.counting import (
    CountRange,
    CountScope,
    pending_pairs,
    people_breakdowns,
    people_count,
    people_ranges,
)
from trainees.selectors.counting.uncertainty import component_expected, count_range

pytestmark = pytest.mark.django_db

D = datetime.date


def _pair(a, b, p, status="open"):
    a, b = sorted([a, b], key=lambda person: person.pk)
    return ReviewPair.objects.create(person_a=a, person_b=b, score=p, source="scan", status=status)


def _trained(person, **event):
    return ParticipationFactory(person=person, event=TrainingEventFactory(**event))


# Pure computation -------------------------------------------------------------------------


def test_two_people_one_pair_at_0_9():
    found = count_range(standing=2, people={1, 2}, pending=_pending({(1, 2): 0.9}))
    assert (found.standing, found.lowest, found.expected, found.pairs) == (2, 1, 1.1, 1)


def test_a_chain_is_size_minus_the_sum_of_its_probabilities():
    found = count_range(standing=5, people={1, 2, 3}, pending=_pending({(1, 2): 0.5, (2, 3): 0.25}))
    assert (found.lowest, found.expected, found.pairs) == (3, 4.25, 2)


def test_a_triangle_is_enumerated_exactly():
    # Three pairs at 0.5: 8 equally likely worlds; no edge 3 people, one edge 2, else 1.
    nodes = {1, 2, 3}
    edges = [(1, 2, 0.5), (2, 3, 0.5), (1, 3, 0.5)]
    assert component_expected(nodes, edges) == pytest.approx((3 + 3 * 2 + 4 * 1) / 8)


def test_a_large_dense_component_stays_between_its_bounds():
    nodes = set(range(8))
    edges = [(a, b, 0.3) for a in nodes for b in nodes if a < b]  # 28 pairs: spanning bound
    value = component_expected(nodes, edges)
    assert 1 <= value <= 8
    assert value == pytest.approx(8 - 7 * 0.3)


def _pending(pairs):
    from trainees.selectors.counting import PendingPairs

    return PendingPairs(pairs)


# Through the registry ----------------------------------------------------------------------


def test_hand_built_registry_two_people_one_pair():
    a, b = PersonFactory(), PersonFactory()
    _trained(a)
    _trained(b)
    _pair(a, b, 0.9)
    scope = CountScope()
    total, _rows = people_ranges(scope=scope, standing=people_count(scope=scope))
    assert (total.standing, total.lowest, total.expected, total.pairs) == (2, 1, 1.1, 1)


def test_only_pairs_among_the_counted_people_count():
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    _trained(a)
    _trained(b)
    ParticipationFactory(person=c, outcome="failed")  # not trained: outside the figure
    _pair(a, c, 0.8)
    _pair(a, b, 0.2, status="different")  # decided: not pending
    total, _rows = people_ranges(scope=CountScope(), standing=2)
    assert total == CountRange(standing=2, lowest=2, expected=2.0, pairs=0)
    assert not total.uncertain


def test_a_pair_whose_person_was_merged_counts_for_the_survivor():
    from trainees.review.models import Merge

    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    _trained(a)
    _trained(c)
    _pair(a, b, 0.7)
    Merge.objects.create(survivor=c, merged=b)
    pending = pending_pairs()
    assert pending.pairs == {tuple(sorted([a.pk, c.pk])): 0.7}


def test_scores_are_read_as_probabilities_clipped_to_0_1():
    a, b = PersonFactory(), PersonFactory()
    _trained(a)
    _trained(b)
    _pair(a, b, 1.7)
    total, _rows = people_ranges(scope=CountScope(), standing=2)
    assert (total.lowest, total.expected) == (1, 1.0)


def test_every_breakdown_row_has_a_consistent_range():
    women = [PersonFactory(sex="F") for _ in range(3)]
    men = [PersonFactory(sex="M") for _ in range(2)]
    for person in women + men:
        _trained(person, start_date=D(2021, 5, 1))
    _trained(women[0], start_date=D(2022, 5, 1))
    _pair(women[0], women[1], 0.6)  # both female, both 2021; only women[0] in 2022
    _pair(women[2], men[0], 0.5)  # across the sex rows: in no sex row, in the total
    scope = CountScope()
    breakdowns = people_breakdowns(scope=scope, by=["sex", "year"])
    total, rows = people_ranges(scope=scope, standing=breakdowns.total, breakdowns=breakdowns)
    assert (total.standing, total.lowest, total.expected, total.pairs) == (5, 3, 3.9, 2)
    sex = {row.key: row for row in rows["sex"]}
    assert (sex["F"].count, sex["F"].lowest, sex["F"].expected, sex["F"].pairs) == (3, 2, 2.4, 1)
    assert (sex["M"].count, sex["M"].lowest, sex["M"].pairs) == (2, 2, 0)
    year = {row.key: row for row in rows["year"]}
    assert (year[2021].lowest, year[2021].expected, year[2021].pairs) == (3, 3.9, 2)
    assert (year[2022].count, year[2022].lowest, year[2022].pairs) == (1, 1, 0)
    for by_rows in rows.values():
        for row in by_rows:
            assert row.count >= row.expected >= row.lowest
            # A row cannot lose more people than the total does.
            assert row.count - row.lowest <= total.standing - total.lowest


def test_the_report_carries_ranges_to_headlines_tables_and_frozen_json():
    a, b = PersonFactory(sex="F"), PersonFactory(sex="F")
    _trained(a)
    _trained(b)
    _pair(a, b, 0.9)
    report = report_build(scope=CountScope(), figure="trained", cached=False)
    trained = report.headline("trained")
    assert (trained.value, trained.range.lowest, trained.range.expected) == (2, 1, 1.1)
    sex = next(t for t in report.tables if t.by == "sex")
    female = next(r for r in sex.rows if r.key == "F")
    assert (female.lowest, female.expected, female.pairs) == (1, 1.1, 1)
    assert sex.total_range.lowest == 1
    frozen = json.loads(json.dumps(report_frozen(report=report)))
    assert frozen["headlines"][0] | {} == frozen["headlines"][0]
    assert {k: frozen["headlines"][0][k] for k in ("value", "lowest", "expected")} == {
        "value": 2,
        "lowest": 1,
        "expected": 1.1,
    }
    frozen_sex = next(t for t in frozen["tables"] if t["by"] == "sex")
    assert frozen_sex["lowest"] == 1
    assert frozen_sex["rows"][0]["pairs_pending"] == 1


def test_a_new_pending_pair_restates_the_cached_dashboard():
    a, b = PersonFactory(), PersonFactory()
    _trained(a)
    _trained(b)
    before = report_build(scope=CountScope(), figure="trained")
    assert before.headline("trained").range.pairs == 0
    _pair(a, b, 0.9)
    after = report_build(scope=CountScope(), figure="trained")
    assert after.headline("trained").range.lowest == 1


def test_the_range_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    people = [PersonFactory() for _ in range(6)]
    for person in people:
        _trained(person)
    scope = CountScope()
    breakdowns = people_breakdowns(scope=scope, by=["sex", "year", "organisation", "age_band"])
    with django_assert_max_num_queries(2):  # the pairs; nothing else when none waits
        people_ranges(scope=scope, standing=6, breakdowns=breakdowns)
    for first, second in zip(people[::2], people[1::2], strict=True):
        _pair(first, second, 0.5)
    with django_assert_max_num_queries(4):  # pairs, merges, programmes, one membership scan
        people_ranges(scope=scope, standing=6, breakdowns=breakdowns)


# Display -------------------------------------------------------------------------------------


def test_display_in_english_and_french():
    found = CountRange(standing=1469, lowest=1431, expected=1452.4, pairs=38)
    with translation.override("en"):
        assert figure_text(1469, found) == (
            "1,469 (between 1,431 and 1,469, expected 1,452; 38 pairs awaiting review)"
        )
        one = CountRange(standing=2, lowest=1, expected=1.1, pairs=1)
        assert range_note(one) == "between 1 and 2, expected 1.1; 1 pair awaiting review"
    with translation.override("fr"):
        assert figure_text(1469, found) == (
            "1\xa0469 (entre 1\xa0431 et 1\xa0469, attendu 1\xa0452\u202f; "
            "38 paires en attente d'examen)"
        )
        assert range_note(CountRange(standing=2, lowest=1, expected=1.1, pairs=1)) == (
            "entre 1 et 2, attendu 1,1\u202f; 1 paire en attente d'examen"
        )


def test_no_pair_waiting_shows_the_number_alone():
    found = CountRange(standing=1469, lowest=1469, expected=1469.0, pairs=0)
    with translation.override("en"):
        assert figure_text(1469, found) == "1,469"
        assert range_note(found) == ""


@pytest.fixture
def coordinator_client(client, sign_in_as):
    sign_in_as("coordinator")
    return client


def test_dashboard_drilldown_and_exports_show_the_range(coordinator_client):
    client = coordinator_client
    a, b = PersonFactory(sex="F"), PersonFactory(sex="F")
    _trained(a)
    _trained(b)
    _pair(a, b, 0.9)
    with translation.override("en"):
        html = client.get(reverse("reports_dashboard")).content.decode()
        assert "between 1 and 2, expected 1.1; 1 pair awaiting review" in html
        people = client.get(reverse("reports_people")).content.decode()
        assert (
            'data-range="people">(between 1 and 2, expected 1.1; 1 pair awaiting review)' in people
        )
        xlsx = client.get(reverse("reports_export", args=["xlsx"]))
        book = load_workbook(io.BytesIO(xlsx.content))
        rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
        head = next(r for r in rows if r[0] == "Figure")
        assert head[:5] == ["Figure", "Value", "Lowest", "Expected", "Pairs awaiting review"]
        trained = next(r for r in rows if r[0] == "Unique people trained")
        assert trained[1:5] == [2, 1, 1.1, 1]
        sex = next(ws for ws in book.worksheets if ws.title.endswith("Sex"))
        assert [c.value for c in sex[2]][:5] == ["Row", "Key", "People", "Lowest", "Expected"]
        assert [c.value for c in sex[3]][:5] == ["Female", "F", 2, 1, 1.1]
        csv_text = client.get(reverse("reports_export", args=["csv"])).content.decode("utf-8-sig")
        assert "Unique people trained,2,1,1.1,1," in csv_text
    with translation.override("fr"):
        html = client.get(reverse("reports_dashboard")).content.decode()
        assert "entre 1 et 2, attendu 1,1\u202f; 1 paire en attente d&#x27;examen" in html


def test_api_figures_and_breakdowns_carry_the_range(client):
    from tests.factories import UserFactory
    from trainees.reports.services import api_token_create

    token = api_token_create(name="5W", user=UserFactory(role="administrator"))[1]
    a, b = PersonFactory(sex="F"), PersonFactory(sex="F")
    _trained(a)
    _trained(b)
    _pair(a, b, 0.9)
    headers = {"Authorization": f"Bearer {token}"}
    figures = client.get("/en/reports/api/figures", headers=headers).json()["figures"]
    trained = next(f for f in figures if f["code"] == "trained")
    assert (trained["value"], trained["lowest"], trained["expected"]) == (2, 1, 1.1)
    assert trained["pairs_pending"] == 1
    reached = next(f for f in figures if f["code"] == "reached")
    assert reached["lowest"] is None
    sex = client.get("/en/reports/api/breakdowns/sex", headers=headers).json()
    assert (sex["total"], sex["lowest"], sex["expected"]) == (2, 1, 1.1)
    assert sex["rows"][0] | {} == sex["rows"][0]
    assert (sex["rows"][0]["count"], sex["rows"][0]["lowest"]) == (2, 1)


def test_a_published_report_freezes_the_range_and_shows_it_beside_the_restated_one(
    coordinator_client,
):
    from trainees.reports.models import PublishedReport

    client = coordinator_client
    a, b = PersonFactory(), PersonFactory()
    _trained(a)
    _trained(b)
    pair = _pair(a, b, 0.9)
    with translation.override("en"):
        response = client.post(reverse("reports_publish"), {"title": "2022"}, follow=True)
        html = response.content.decode()
        note = "(between 1 and 2, expected 1.1; 1 pair awaiting review)"
        assert f'<td class="num published">2 <span class="range">{note}</span></td>' in html
        frozen = PublishedReport.objects.get().figures["headlines"][0]
        assert (frozen["lowest"], frozen["expected"], frozen["pairs_pending"]) == (1, 1.1, 1)
        # The pair is decided "different people": the restated figure has no range any more.
        ReviewPair.objects.filter(pk=pair.pk).update(status="different")
        html = client.get(
            reverse("reports_published_detail", args=[PublishedReport.objects.get().pk])
        ).content.decode()
        assert f'<td class="num published">2 <span class="range">{note}</span></td>' in html
        assert '<td class="num restated">2</td>' in html
