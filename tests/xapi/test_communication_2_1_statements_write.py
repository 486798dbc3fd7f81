"""Communication 2.1.1 PUT and 2.1.2 POST Statements; Data 2.3 immutability; Data 2.4.x
properties the LRS sets (id, stored, authority, timestamp, version)."""

import json
import uuid

import pytest

from lms.xapi.models import Statement, StatementActivity, StatementAgent
from tests.xapi.conftest import statement

ID = "5b5c9f5e-1c1a-4b5e-9b43-000000000001"


@pytest.mark.django_db
def test_communication_2_1_1_put_stores_with_the_given_id_and_answers_204(xapi):
    response = xapi.put(f"/xapi/statements?statementId={ID}", statement())
    assert response.status_code == 204
    assert response.content == b""
    assert "X-Experience-API-Consistent-Through" in response
    assert str(Statement.objects.get().statement_id) == ID


@pytest.mark.django_db
def test_communication_2_1_1_put_without_statement_id_is_400(xapi):
    response = xapi.put("/xapi/statements", statement())
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statementId:")


@pytest.mark.django_db
def test_communication_2_1_1_put_with_an_invalid_uuid_is_400(xapi):
    response = xapi.put("/xapi/statements?statementId=not-a-uuid", statement())
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statementId:")


@pytest.mark.django_db
def test_communication_2_1_1_put_with_a_different_id_in_the_body_is_400(xapi):
    other = "5b5c9f5e-1c1a-4b5e-9b43-000000000002"
    response = xapi.put(f"/xapi/statements?statementId={ID}", statement(id=other))
    assert response.status_code == 400
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_data_2_3_1_equivalent_resend_is_accepted_once_and_different_is_409(xapi):
    assert xapi.put(f"/xapi/statements?statementId={ID}", statement()).status_code == 204
    assert xapi.put(f"/xapi/statements?statementId={ID}", statement()).status_code == 204
    assert xapi.post("/xapi/statements", statement(id=ID)).json() == [ID]
    assert Statement.objects.count() == 1
    different = statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    response = xapi.put(f"/xapi/statements?statementId={ID}", different)
    assert response.status_code == 409
    assert Statement.objects.count() == 1


@pytest.mark.django_db
def test_communication_2_1_2_post_a_list_answers_the_ids_in_order(xapi):
    given = str(uuid.uuid4())
    response = xapi.post("/xapi/statements", [statement(), statement(id=given), statement()])
    assert response.status_code == 200
    ids = response.json()
    assert len(ids) == 3 and ids[1] == given
    assert Statement.objects.count() == 3


@pytest.mark.django_db
def test_communication_2_1_2_batch_with_one_invalid_statement_stores_nothing(xapi):
    response = xapi.post("/xapi/statements", [statement(), statement(actor={"name": "x"})])
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statement[1].actor")
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_communication_2_1_2_duplicate_ids_in_one_batch_are_400(xapi):
    response = xapi.post("/xapi/statements", [statement(id=ID), statement(id=ID.upper())])
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statement[1].id: repeats the id")
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_communication_2_1_2_batch_with_a_conflicting_id_stores_nothing(xapi):
    xapi.post("/xapi/statements", statement(id=ID))
    different = statement(id=ID, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    response = xapi.post("/xapi/statements", [statement(), different])
    assert response.status_code == 409
    assert Statement.objects.count() == 1


@pytest.mark.django_db
def test_communication_2_1_2_empty_list_is_400(xapi):
    assert xapi.post("/xapi/statements", []).status_code == 400


@pytest.mark.django_db
def test_data_2_4_lrs_sets_id_stored_timestamp_version(xapi):
    statement_id = xapi.post("/xapi/statements", statement()).json()[0]
    stored = json.loads(Statement.objects.get().raw)
    assert stored["id"] == statement_id
    assert stored["stored"].endswith("Z") and len(stored["stored"]) == 24
    assert stored["timestamp"] == stored["stored"]  # Data 2.4.7.s3.b3
    assert stored["version"] == "1.0.0"  # Data 2.4.10.s3.b3


@pytest.mark.django_db
def test_data_2_4_10_given_version_and_timestamp_are_kept(xapi):
    xapi.post(
        "/xapi/statements", statement(version="1.0.3", timestamp="2024-05-18T05:32:34.804+02:00")
    )
    stored = json.loads(Statement.objects.get().raw)
    assert stored["version"] == "1.0.3"
    assert stored["timestamp"] == "2024-05-18T05:32:34.804+02:00"


@pytest.mark.django_db
def test_storage_index_rows_for_agents_and_activities(xapi):
    data = statement(
        context={
            "instructor": {"mbox": "mailto:trainer@example.org"},
            "contextActivities": {"parent": {"id": "http://example.org/course"}},
        }
    )
    xapi.post("/xapi/statements", data)
    rows = set(StatementAgent.objects.values_list("agent_key", "relation"))
    assert ("mbox:mailto:awa@example.org", "actor") in rows
    assert ("mbox:mailto:trainer@example.org", "related") in rows
    activities = set(StatementActivity.objects.values_list("activity_id", "relation"))
    assert activities == {
        ("http://example.org/activities/course-1", "object"),
        ("http://example.org/course", "related"),
    }


@pytest.mark.django_db
def test_post_of_100_statements_takes_a_bounded_number_of_queries(
    xapi, django_assert_max_num_queries
):
    batch = [statement() for _ in range(100)]
    # Bounded whatever the batch size; includes the forwarding outbox insert, the write
    # clock or registration (Consistent-Through, one statement), on PostgreSQL the
    # answer's Consistent-Through read after the commit (one) and the StatementRef chain
    # update (one).
    with django_assert_max_num_queries(18):
        response = xapi.post("/xapi/statements", batch)
    assert response.status_code == 200


@pytest.mark.django_db
def test_data_2_3_2_voiding_hides_the_target_from_queries(xapi):
    target = xapi.post("/xapi/statements", statement()).json()[0]
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    voiding_id = xapi.post("/xapi/statements", voiding).json()[0]
    assert xapi.get("/xapi/statements", {"statementId": target}).status_code == 404
    voided = xapi.get("/xapi/statements", {"voidedStatementId": target})
    assert voided.status_code == 200 and voided.json()["id"] == target
    listed = [item["id"] for item in xapi.get("/xapi/statements").json()["statements"]]
    assert listed == [voiding_id]
    not_voided = xapi.get("/xapi/statements", {"voidedStatementId": voiding_id})
    assert not_voided.status_code == 404


@pytest.mark.django_db
def test_data_2_3_2_a_voiding_statement_cannot_be_voided(xapi):
    target = xapi.post("/xapi/statements", statement()).json()[0]
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    voiding_id = xapi.post("/xapi/statements", voiding).json()[0]
    again = dict(voiding, object={"objectType": "StatementRef", "id": voiding_id})
    response = xapi.post("/xapi/statements", again)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statement.object.id: targets")
    assert Statement.objects.get(statement_id=voiding_id).voided is False


@pytest.mark.django_db
def test_data_2_3_2_statement_arriving_after_its_voiding_statement_is_stored_voided(xapi):
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": ID},
    )
    assert xapi.post("/xapi/statements", voiding).status_code == 200
    xapi.put(f"/xapi/statements?statementId={ID}", statement())
    assert Statement.objects.get(statement_id=ID).voided is True


@pytest.mark.django_db
@pytest.mark.parametrize("same,status", [(True, 200), (False, 409)])
def test_concurrent_insert_of_the_same_id_is_checked_again(xapi, monkeypatch, same, status):
    """A race: the id was not stored at check time but is at insert time."""
    from lms.xapi.services import statements as store

    xapi.post("/xapi/statements", statement(id=ID))
    real_check = store._conflicts_check
    calls = []

    def blind_first(incoming, prepared, ids, *, on_conflict):
        calls.append(1)
        if len(calls) == 1:
            return list(range(len(ids)))
        return real_check(incoming, prepared, ids, on_conflict=on_conflict)

    monkeypatch.setattr(store, "_conflicts_check", blind_first)
    again = statement(id=ID) if same else statement(id=ID, verb={"id": "http://x.org/v"})
    response = xapi.post("/xapi/statements", again)
    assert response.status_code == status
    assert len(calls) == 2
    assert Statement.objects.count() == 1
