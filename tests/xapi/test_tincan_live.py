"""The running LRS driven by TinCanPython's RemoteLRS, as a real xAPI client would."""

import uuid

import pytest
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    LanguageMap,
    RemoteLRS,
    Statement,
    StatementRef,
    Verb,
)

from lms.xapi.models import Statement as StoredStatement
from tests.xapi.conftest import SECRET, make_client


@pytest.fixture
def remote(live_server, migration_data):
    client = make_client(name="TinCan")
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/",
        username=client.key,
        password=SECRET,
    )


def _statement(index: int) -> Statement:
    return Statement(
        actor=Agent(name="Awa", mbox="mailto:awa@example.org"),
        verb=Verb(
            id="http://adlnet.gov/expapi/verbs/experienced",
            display=LanguageMap({"en-US": "experienced"}),
        ),
        object=Activity(
            id=f"http://example.org/activities/module-{index}",
            definition=ActivityDefinition(name=LanguageMap({"en-US": f"Module {index}"})),
        ),
    )


def test_remote_lrs_save_query_more_and_void(remote):
    about = remote.about()
    assert about.success and "1.0.3" in about.content.version

    single = remote.save_statement(_statement(0))
    assert single.success, single.data
    saved_id = single.content.id

    batch = remote.save_statements([_statement(index) for index in range(1, 6)])
    assert batch.success, batch.data
    assert StoredStatement.objects.count() == 6

    first = remote.query_statements({"limit": 4})
    assert first.success, first.data
    assert len(first.content.statements) == 4
    assert first.content.more
    second = remote.more_statements(first.content)
    assert second.success, second.data
    assert len(second.content.statements) == 2
    seen = {str(item.id) for item in first.content.statements + second.content.statements}
    assert len(seen) == 6

    fetched = remote.retrieve_statement(saved_id)
    assert fetched.success
    assert fetched.content.object.id == "http://example.org/activities/module-0"

    voiding = Statement(
        actor=Agent(mbox="mailto:awa@example.org"),
        verb=Verb(
            id="http://adlnet.gov/expapi/verbs/voided", display=LanguageMap({"en-US": "voided"})
        ),
        object=StatementRef(id=saved_id),
    )
    assert remote.save_statement(voiding).success
    assert not remote.retrieve_statement(saved_id).success
    voided = remote.retrieve_voided_statement(saved_id)
    assert voided.success and str(voided.content.id) == str(saved_id)

    conflict = _statement(9)
    conflict.id = str(uuid.uuid4())
    assert remote.save_statement(conflict).success
    conflict.verb = Verb(id="http://adlnet.gov/expapi/verbs/failed")
    assert remote.save_statement(conflict).response.status == 409
