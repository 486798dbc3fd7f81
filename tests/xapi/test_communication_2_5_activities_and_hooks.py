"""Communication 2.5 Activities resource (canonical definitions, "define" scope) and the
statement consumers of lms.xapi.hooks."""

import pytest
from django.db import transaction

from lms.xapi import hooks, scopes
from lms.xapi.models import Activity, Statement
from tests.xapi.conftest import XAPIClient, make_client, statement

COURSE = "http://example.org/activities/course-1"


def _with_name(name):
    return statement(object={"id": COURSE, "definition": {"name": name}})


@pytest.mark.django_db
def test_communication_2_5_unknown_activity_is_404(xapi):
    response = xapi.get("/xapi/activities", {"activityId": COURSE})
    assert response.status_code == 404
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.django_db
def test_communication_2_5_activity_id_is_required(xapi):
    response = xapi.get("/xapi/activities")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "activityId: this parameter is required"


@pytest.mark.django_db
def test_communication_2_5_define_scope_merges_language_maps(xapi):
    xapi.post("/xapi/statements", _with_name({"en": "Disposal"}))
    xapi.post("/xapi/statements", _with_name({"fr": "Neutralisation"}))
    response = xapi.get("/xapi/activities", {"activityId": COURSE})
    assert response.json() == {
        "objectType": "Activity",
        "id": COURSE,
        "definition": {"name": {"en": "Disposal", "fr": "Neutralisation"}},
    }


@pytest.mark.django_db
def test_communication_2_5_without_define_a_known_definition_is_not_changed(client, xapi):
    xapi.post("/xapi/statements", _with_name({"en": "Disposal"}))
    writer = XAPIClient(client, make_client(scopes_list=[scopes.STATEMENTS_WRITE]))
    assert writer.post("/xapi/statements", _with_name({"en": "Renamed"})).status_code == 200
    assert Activity.objects.get(activity_id=COURSE).definition == {"name": {"en": "Disposal"}}


@pytest.mark.django_db(transaction=True)
def test_hooks_in_transaction_and_on_commit_consumers_receive_summaries(xapi):
    received = {"in": [], "after": []}

    def in_tx(items):
        received["in"].append((transaction.get_connection().in_atomic_block, items))

    def after(items):
        received["after"].extend(items)

    hooks.register_statement_consumer(in_tx, phase="in_transaction")
    hooks.register_statement_consumer(after, phase="on_commit")
    try:
        xapi.post("/xapi/statements", statement(result={"success": True, "score": {"scaled": 0.5}}))
    finally:
        hooks.unregister_statement_consumer(in_tx)
        hooks.unregister_statement_consumer(after)
    assert received["in"][0][0] is True
    summary = received["after"][0]
    assert summary.verb_id == "http://adlnet.gov/expapi/verbs/completed"
    assert summary.actor_key == "mbox:mailto:awa@example.org"
    assert summary.object_activity_id == COURSE
    assert (summary.result_success, summary.result_scaled) == (True, 0.5)


@pytest.mark.django_db(transaction=True)
def test_hooks_on_commit_error_is_logged_and_the_response_still_succeeds(xapi, caplog):
    def broken(items):
        raise RuntimeError("registry down")

    hooks.register_statement_consumer(broken, phase="on_commit")
    try:
        response = xapi.post("/xapi/statements", statement())
    finally:
        hooks.unregister_statement_consumer(broken)
    assert response.status_code == 200
    assert Statement.objects.count() == 1
    assert "xAPI statement consumer" in caplog.text
    assert response.json()[0] in caplog.text


@pytest.mark.django_db
def test_hooks_in_transaction_error_stores_nothing(xapi):
    def broken(items):
        raise RuntimeError("outbox full")

    hooks.register_statement_consumer(broken, phase="in_transaction")
    try:
        with pytest.raises(RuntimeError):
            xapi.post("/xapi/statements", statement())
    finally:
        hooks.unregister_statement_consumer(broken)
    assert Statement.objects.count() == 0
