"""Communication 2.1.3 "Filter Conditions for StatementRefs" (and 2.1.4.s1.b2): a statement
whose object is a StatementRef matches the non-time filters when the statement it targets,
directly or down a chain, matches them; time filters apply to the statement itself."""

import json
import time
import uuid

import pytest

from lms.xapi.models import Statement, StatementRefTarget
from tests.xapi.conftest import statement

BEN = {"objectType": "Agent", "mbox": "mailto:ben@example.org"}
ANDREW = {"objectType": "Agent", "mbox": "mailto:andrew@example.org"}
PASSED = {"id": "http://adlnet.gov/expapi/verbs/passed"}
CONFIRMED = {"id": "http://example.org/verbs/confirmed"}
EXPLOSIVES = "http://example.org/activities/explosives-training"
OTHER = "http://example.org/activities/other"
REG = "3c1a9f0e-1111-4000-8000-000000000001"


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["statements"]]


def _passed(statement_id=None, **overrides):
    data = statement(
        actor=BEN,
        verb=PASSED,
        object={"id": EXPLOSIVES},
        context={"registration": REG},
    )
    if statement_id:
        data["id"] = statement_id
    data.update(overrides)
    return data


def _confirms(target_id, statement_id=None, actor=ANDREW):
    data = statement(
        actor=actor, verb=CONFIRMED, object={"objectType": "StatementRef", "id": target_id}
    )
    if statement_id:
        data["id"] = statement_id
    return data


def _post(xapi, data):
    response = xapi.post("/xapi/statements", data)
    assert response.status_code == 200, response.content
    return response.json()


def _every_filter(xapi):
    """The ids each single filter returns, newest first."""
    return {
        "agent": _ids(xapi.get("/xapi/statements", {"agent": json.dumps(BEN)})),
        "verb": _ids(xapi.get("/xapi/statements", {"verb": PASSED["id"]})),
        "activity": _ids(xapi.get("/xapi/statements", {"activity": EXPLOSIVES})),
        "registration": _ids(xapi.get("/xapi/statements", {"registration": REG})),
    }


@pytest.mark.django_db
def test_2_1_3_statementref_matches_every_filter_of_its_target(xapi):
    """The spec's example: 'Andrew confirmed <Ben passed explosives training>' comes back
    with an actor, verb, activity or registration filter that only the original matches."""
    original = _post(xapi, _passed())[0]
    confirmation = _post(xapi, _confirms(original))[0]
    unrelated = _post(xapi, statement(actor=ANDREW, object={"id": OTHER}))[0]
    for name, ids in _every_filter(xapi).items():
        assert ids == [confirmation, original], name
    # The confirmation's own fields still match it; an unrelated statement never does.
    own = _ids(xapi.get("/xapi/statements", {"agent": json.dumps(ANDREW)}))
    assert own == [unrelated, confirmation]


@pytest.mark.django_db
def test_2_1_3_statementref_with_related_filters(xapi):
    original = _post(
        xapi,
        statement(
            actor=ANDREW,
            object={"id": OTHER},
            context={
                "instructor": BEN,
                "contextActivities": {"parent": [{"id": EXPLOSIVES}]},
            },
        ),
    )[0]
    confirmation = _post(xapi, _confirms(original))[0]
    related = xapi.get("/xapi/statements", {"activity": EXPLOSIVES, "related_activities": "true"})
    assert _ids(related) == [confirmation, original]
    agents = xapi.get("/xapi/statements", {"agent": json.dumps(BEN), "related_agents": "true"})
    assert _ids(agents) == [confirmation, original]
    # Without related_*, neither the original nor what targets it matches.
    assert _ids(xapi.get("/xapi/statements", {"activity": EXPLOSIVES})) == []
    assert _ids(xapi.get("/xapi/statements", {"agent": json.dumps(BEN)})) == []


@pytest.mark.django_db
def test_2_1_3_statementref_all_filters_must_hold_on_the_same_statement(xapi):
    """Several filters are one condition: the targeted statement must meet all of them
    (as the ADL reference LRS does), not one filter here and another there."""
    original = _post(xapi, _passed())[0]
    confirmation = _post(xapi, _confirms(original))[0]
    both = {"agent": json.dumps(BEN), "verb": PASSED["id"]}
    assert _ids(xapi.get("/xapi/statements", both)) == [confirmation, original]
    # Andrew (the confirmation's actor) with 'passed' (the original's verb): no statement
    # in the chain is both.
    mixed = {"agent": json.dumps(ANDREW), "verb": PASSED["id"]}
    assert _ids(xapi.get("/xapi/statements", mixed)) == []


@pytest.mark.django_db
def test_2_1_3_statementref_target_arriving_after_the_reference(xapi):
    original_id = str(uuid.uuid4())
    confirmation = _post(xapi, _confirms(original_id))[0]
    assert _ids(xapi.get("/xapi/statements", {"verb": PASSED["id"]})) == []
    _post(xapi, _passed(original_id))
    for name, ids in _every_filter(xapi).items():
        assert ids == [original_id, confirmation], name


@pytest.mark.django_db
def test_2_1_3_statementref_chains_in_any_arrival_order(xapi):
    """c -> b -> a: 'c' matches a's filters, whichever of the three arrives last."""
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    _post(xapi, _confirms(b, c))  # c first: targets b, not stored yet
    _post(xapi, _passed(a))  # then a
    assert _every_filter(xapi)["agent"] == [a]
    _post(xapi, _confirms(a, b))  # b links c to a
    for name, ids in _every_filter(xapi).items():
        assert ids == [b, a, c], name  # stored order, newest first
    c_seq = Statement.objects.get(statement_id=c).seq
    assert set(
        StatementRefTarget.objects.filter(statement_id=c_seq).values_list("target_id", flat=True)
    ) == {uuid.UUID(a), uuid.UUID(b)}


@pytest.mark.django_db
def test_2_1_3_statementref_batch_holding_reference_and_target(xapi):
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    # References first in the batch, the original last.
    assert _post(xapi, [_confirms(b, c), _confirms(a, b), _passed(a)]) == [c, b, a]
    for name, ids in _every_filter(xapi).items():
        assert ids == [a, b, c], name


@pytest.mark.django_db
def test_2_1_3_statementref_cycle_is_stored_and_queried(xapi):
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    _post(xapi, [_confirms(b, a, actor=BEN), _confirms(a, b)])
    assert _ids(xapi.get("/xapi/statements", {"agent": json.dumps(BEN)})) == [b, a]
    assert StatementRefTarget.objects.count() == 2


@pytest.mark.django_db
def test_2_1_4_voiding_statement_matches_the_filters_of_the_voided_statement(xapi):
    original = _post(xapi, _passed())[0]
    confirmation = _post(xapi, _confirms(original))[0]
    voiding = _post(
        xapi,
        statement(
            actor=ANDREW,
            verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
            object={"objectType": "StatementRef", "id": original},
        ),
    )[0]
    for name, ids in _every_filter(xapi).items():
        # The voided statement is never returned; what targets it still is (2.1.4.s1.b2).
        assert ids == [voiding, confirmation], name


@pytest.mark.django_db
def test_2_1_3_statementref_time_filters_apply_to_the_referring_statement(xapi):
    original = _post(xapi, _passed())[0]
    original_stored = Statement.objects.get(statement_id=original).stored
    time.sleep(0.01)
    confirmation = _post(xapi, _confirms(original))[0]
    since = original_stored.isoformat()
    assert _ids(xapi.get("/xapi/statements", {"verb": PASSED["id"], "since": since})) == [
        confirmation
    ]
    assert _ids(xapi.get("/xapi/statements", {"verb": PASSED["id"], "until": since})) == [original]


@pytest.mark.django_db
def test_2_1_3_statementref_in_context_does_not_match(xapi):
    original = _post(xapi, _passed())[0]
    _post(
        xapi,
        statement(
            actor=ANDREW,
            object={"id": OTHER},
            context={"statement": {"objectType": "StatementRef", "id": original}},
        ),
    )
    assert _ids(xapi.get("/xapi/statements", {"verb": PASSED["id"]})) == [original]


@pytest.mark.django_db
@pytest.mark.parametrize("ascending", ["false", "true"])
def test_2_1_3_statementref_matches_page_with_more_without_repeats(xapi, ascending):
    expected = []
    for _ in range(3):
        original = _post(xapi, _passed())[0]
        expected += [original, _post(xapi, _confirms(original))[0]]
        _post(xapi, statement(actor=ANDREW, object={"id": OTHER}))
    if ascending == "false":
        expected.reverse()
    seen = []
    response = xapi.get(
        "/xapi/statements", {"activity": EXPLOSIVES, "limit": "2", "ascending": ascending}
    )
    while True:
        seen += _ids(response)
        more = response.json()["more"]
        if not more:
            break
        response = xapi.get(more)
    assert seen == expected


@pytest.mark.django_db
def test_2_1_3_single_statement_requests_ignore_statementrefs(xapi):
    original = _post(xapi, _passed())[0]
    confirmation = _post(xapi, _confirms(original))[0]
    response = xapi.get("/xapi/statements", {"statementId": confirmation})
    assert response.json()["object"] == {"objectType": "StatementRef", "id": original}


@pytest.mark.django_db
def test_2_1_3_a_large_batch_is_read_and_linked_in_several_queries(xapi, monkeypatch):
    """A batch of more statement ids than one plain-SQL query carries (SQLite takes at most
    32,766 parameters): re-sends, earlier references and voiding are still seen across
    the pieces (here 2 ids a query)."""
    from lms.xapi.services import statements as store

    monkeypatch.setattr(store, "_IDS_PER_QUERY", 2)
    originals = [str(uuid.uuid4()) for _ in range(5)]
    confirmations = [_post(xapi, _confirms(target))[0] for target in originals]
    voided = str(uuid.uuid4())
    _post(xapi, statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                          object={"objectType": "StatementRef", "id": voided}))  # fmt: skip
    batch = [_passed(target) for target in originals] + [_passed(voided)]
    assert _post(xapi, batch) == [*originals, voided]
    assert _post(xapi, batch) == [*originals, voided]  # the same again: nothing new
    assert Statement.objects.filter(statement_id__in=originals).count() == 5
    # Every earlier reference now has its target's seq, in whichever piece it came.
    assert not StatementRefTarget.objects.filter(
        target_id__in=originals, target_seq__isnull=True
    ).exists()
    assert Statement.objects.get(statement_id=voided).voided
    ids = _ids(xapi.get("/xapi/statements", {"verb": PASSED["id"]}))
    assert set(confirmations) <= set(ids) and voided not in ids
    changed = dict(batch[0], result={"success": False})
    assert xapi.post("/xapi/statements", [*batch[1:], changed]).status_code == 409
