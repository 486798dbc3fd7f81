"""The demo registry: realistic (rows outnumber people) and idempotent."""

import pytest

from lms.core.demo import demo_field_offices
from lms.xapi.models import Statement
from trainees import demo
from trainees.models import AggregateSession, Identifier, Participation, Person, TrainingEvent
from trainees.selectors import CountScope, participations_count, people_count

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        Person.objects.count(),
        Identifier.objects.count(),
        TrainingEvent.objects.count(),
        Participation.objects.count(),
        AggregateSession.objects.count(),
        Statement.objects.count(),
        sorted(Participation.objects.values_list("public_id", "outcome")),
    )


def test_demo_registry_is_realistic_and_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "PEOPLE", 300)
    monkeypatch.setattr(demo, "EVENTS", 40)
    monkeypatch.setattr(demo, "SESSIONS", 5)
    offices = demo_field_offices()
    lines = demo.demo_registry(offices)
    first = _snapshot()
    assert first[0] == 300
    assert first[2] == 40
    assert first[4] == 5
    assert first[3] == first[5]  # one statement per participation
    # several people attend several activities: rows outnumber people
    scope = CountScope(outcomes=("attended",))
    assert participations_count(scope=scope) > people_count(scope=scope) * 1.2
    assert lines[0].startswith("Registry: 300 people")
    demo.demo_registry(offices)
    assert _snapshot() == first
