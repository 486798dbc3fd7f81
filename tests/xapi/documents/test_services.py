"""The document services without HTTP: merge as a property, the race on creation."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.xapi.documents import services
from lms.xapi.documents.base import (
    STATE,
    DocumentPreconditionFailed,
    Preconditions,
    content_etag,
)
from lms.xapi.documents.models import State

CONTEXT = {"activity_id": "http://example.org/a", "agent_key": "mbox:mailto:a@example.org"}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)
objects = st.dictionaries(st.text(max_size=4), json_values, max_size=4)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(first=objects, second=objects)
def test_2_2_s7_merge_is_a_top_level_update(first, second):
    State.objects.all().delete()
    for body in (first, second):
        services.document_post(
            kind=STATE,
            context={**CONTEXT, "registration": None},
            document_id="s",
            content=json.dumps(body).encode(),
            content_type="application/json",
            defaults={"agent": {"mbox": "mailto:a@example.org"}},
        )

    stored = State.objects.get()
    assert json.loads(bytes(stored.content)) == {**first, **second}
    assert stored.etag == content_etag(bytes(stored.content))


@pytest.mark.django_db
def test_a_document_created_meanwhile_is_seen_by_the_retry(monkeypatch):
    """The insert races another writer: the unique constraint fails it, and the retry
    checks the preconditions against the document the other writer stored."""
    from lms.xapi.documents.base import ACTIVITY_PROFILE
    from lms.xapi.documents.models import ActivityProfile

    context = {"activity_id": "http://example.org/a"}
    real_locked = services._locked
    calls = []

    ActivityProfile.objects.create(
        **context,
        profile_id="p",
        content=b"{}",
        content_type="application/json",
        etag=content_etag(b"{}"),
        updated="2024-01-01T00:00:00Z",
    )

    def locked(kind, context, document_id):
        calls.append(document_id)
        if len(calls) == 1:
            return None  # read before the other writer committed its document
        return real_locked(kind, context, document_id)

    monkeypatch.setattr(services, "_locked", locked)

    with pytest.raises(DocumentPreconditionFailed):
        services.document_put(
            kind=ACTIVITY_PROFILE,
            context=context,
            document_id="p",
            content=b"[]",
            content_type="application/json",
            preconditions=Preconditions(if_none_match="*"),
        )
    assert len(calls) == 2
    assert bytes(ActivityProfile.objects.get().content) == b"{}"
