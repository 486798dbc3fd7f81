import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.core.models import AuditEvent
from tests.trainees.factories import ParticipationFactory, PersonFactory, TrainingEventFactory
from trainees.models import Identifier, Participation, Person
from trainees.review.models import Merge, MergedProvenance, ReviewPair
from trainees.review.services import (
    MergeError,
    person_merge,
    person_unmerge,
    review_pair_decide,
    review_pair_propose,
    review_pairs_decide,
)
from trainees.services import identifier_add


def state():
    """Everything a merge may touch, as comparable values."""
    return (
        sorted(Person.objects.values_list("pk", "merged_into_id", "user_id")),
        sorted(
            Participation.objects.values_list(
                "pk", "person_id", "event_id", "outcome", "score", "source_row", "statement_id"
            )
        ),
        sorted(Identifier.objects.values_list("pk", "person_id", "type", "value_normalised")),
        Person.objects.filter(merged_into__isnull=True).count(),
        MergedProvenance.objects.count(),
    )


@pytest.fixture
def two_records(db, make_user):
    a = PersonFactory(given_names="Awa", family_name="Traoré", sex="F")
    b = PersonFactory(given_names="Awa", family_name="Traore", sex="F")
    shared, only_a, only_b = TrainingEventFactory(), TrainingEventFactory(), TrainingEventFactory()
    ParticipationFactory(person=a, event=shared, outcome="attended", source_row=3)
    ParticipationFactory(person=b, event=shared, outcome="passed", score=80, source_row=7)
    ParticipationFactory(person=a, event=only_a)
    ParticipationFactory(person=b, event=only_b)
    identifier_add(person=a, id_type="service_number", value="AB1234")
    identifier_add(person=b, id_type="nina", value="11851234567001K")
    identifier_add(person=a, id_type="phone", value="76123456")
    identifier_add(person=b, id_type="phone", value="76123456")
    return a, b, make_user(role="coordinator")


def test_merge_keeps_every_participation_and_identifier(two_records):
    a, b, coordinator = two_records
    merge = person_merge(survivor=a, merged=b, user=coordinator, reason="Same NINA on paper")
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a
    assert Participation.objects.filter(person=a).count() == 3  # shared event counted once
    combined = MergedProvenance.objects.get()
    assert (combined.source_row, combined.outcome) == (7, "passed")
    assert combined.participation.outcome == "passed"  # the stronger outcome stands
    assert sorted(a.identifiers.values_list("type", flat=True)) == [
        "nina",
        "phone",
        "service_number",
    ]
    audit = AuditEvent.objects.get(action="person.merge")
    assert (audit.user, audit.reason, audit.detail["merged"]) == (
        coordinator,
        "Same NINA on paper",
        str(b.public_id),
    )
    assert merge.snapshot["participations_removed"]


def test_unmerge_restores_everything_exactly(two_records):
    a, b, coordinator = two_records
    before = state()
    merge = person_merge(survivor=a, merged=b, user=coordinator, reason="x")
    assert state() != before
    person_unmerge(merge=merge, user=coordinator, reason="They are cousins")
    assert state() == before
    assert AuditEvent.objects.filter(action="person.unmerge").count() == 1
    with pytest.raises(MergeError) as caught:
        person_unmerge(merge=merge, user=coordinator)
    assert caught.value.code == "already_undone"


def test_a_later_merge_must_be_undone_first(two_records):
    a, b, coordinator = two_records
    c = PersonFactory()
    first = person_merge(survivor=a, merged=b, user=coordinator)
    person_merge(survivor=c, merged=a, user=coordinator)
    assert Person.objects.get(pk=b.pk).merged_into_id == c.pk  # chains are flattened
    with pytest.raises(MergeError) as caught:
        person_unmerge(merge=first, user=coordinator)
    assert caught.value.code == "later_merge"


def test_different_people_are_never_proposed_again(two_records):
    a, b, coordinator = two_records
    pair = review_pair_propose(person_a=b, person_b=a, score=0.8, reasons=[])
    assert (pair.person_a, pair.person_b) == (a, b)
    review_pair_decide(pair=pair, decision="different", user=coordinator, reason="cousins")
    again = review_pair_propose(person_a=a, person_b=b, score=0.95, reasons=[])
    assert again.status == "different"
    assert ReviewPair.objects.count() == 1


def test_same_person_merges_into_the_one_with_more_participations(two_records):
    a, b, coordinator = two_records
    ParticipationFactory(person=b)
    pair = review_pair_propose(person_a=a, person_b=b, score=0.8, reasons=[])
    merge = review_pair_decide(pair=pair, decision="same", user=coordinator)
    assert (merge.survivor, merge.merged) == (b, a)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == ("same", coordinator)
    person_unmerge(merge=merge, user=coordinator)
    pair.refresh_from_db()
    assert pair.status == "open"


def test_bulk_decisions_skip_pairs_already_merged(db, make_user):
    coordinator = make_user(role="coordinator")
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    pairs = [
        review_pair_propose(person_a=a, person_b=b, score=0.9, reasons=[]),
        review_pair_propose(person_a=a, person_b=c, score=0.9, reasons=[]),
        review_pair_propose(person_a=b, person_b=c, score=0.9, reasons=[]),
    ]
    result = review_pairs_decide(pairs=pairs, decision="same", user=coordinator)
    assert result == {"done": 2, "skipped": 1}
    assert Person.objects.filter(merged_into__isnull=True).count() == 1
    assert Merge.objects.count() == 2


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from(["attended", "passed"])),
        min_size=0,
        max_size=8,
    ),
    ids=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2)), max_size=4),
)
def test_merge_then_unmerge_restores_every_count(db, make_user, plan, ids):
    """Property (issue 5): whatever the two people hold, merge then unmerge restores it all."""
    Participation.objects.all().delete()
    Identifier.objects.all().delete()
    coordinator = make_user(role="coordinator")
    people = [PersonFactory(), PersonFactory()]
    events = [TrainingEventFactory(start_date=datetime.date(2021, 1, 1)) for _ in range(4)]
    for who, which, outcome in plan:
        if who < 2 and not Participation.objects.filter(person=people[who], event=events[which]):
            ParticipationFactory(person=people[who], event=events[which], outcome=outcome)
    phones = ["76123456", "66123456", "90123456"]
    for who, which in ids:
        identifier_add(person=people[who], id_type="phone", value=phones[which])
    before = state()
    merge = person_merge(survivor=people[0], merged=people[1], user=coordinator)
    assert Person.objects.filter(merged_into__isnull=True).count() == before[3] - 1
    person_unmerge(merge=merge, user=coordinator)
    assert state() == before
