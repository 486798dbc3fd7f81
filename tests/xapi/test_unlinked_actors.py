"""Statements from actors outside the registry are counted, not logged one by one, and
the LRS admin lists those actors (administrators only, audited)."""

import logging

import pytest
from django.conf import settings

from lms.core.models import AuditEvent
from lms.xapi.emitter import platform_authority
from lms.xapi.services import statement_store
from tests.factories import totp_enable
from tests.xapi.conftest import statement


def _store(*mboxes):
    statement_store(
        statements=[statement(actor={"mbox": mbox}) for mbox in mboxes],
        authority=platform_authority(),
    )


@pytest.mark.django_db
def test_unknown_actors_are_counted_not_logged_one_line_each(
    caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.DEBUG, logger="trainees.services.statements"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _store(*[f"mailto:tool-{index % 3}@example.org" for index in range(30)])
    lines = [record for record in caplog.records if record.name == "trainees.services.statements"]
    assert len(lines) == 1
    assert lines[0].getMessage() == "30 statements from 3 actors outside the registry"


@pytest.mark.django_db
def test_admin_lists_unlinked_actors_with_their_counts(admin_client):
    _store("mailto:a@example.org", "mailto:a@example.org", "mailto:b@example.org")
    own = {"account": {"homePage": settings.SITE_URL, "name": "8f7c7a0e-0000-4000-8000-1"}}
    statement_store(statements=[statement(actor=own)], authority=platform_authority())
    response = admin_client.get("/admin/xapi/unlinked-actors/")
    assert response.status_code == 200
    rows = [(row["actor_key"], row["statements"]) for row in response.context["page"]]
    assert rows == [("mbox:mailto:a@example.org", 2), ("mbox:mailto:b@example.org", 1)]
    assert "2 acteurs hors du registre" in response.content.decode()  # the admin is in French
    assert AuditEvent.objects.filter(action="xapi.unlinked_actors.view").count() == 1


@pytest.mark.django_db
def test_unlinked_actors_are_for_administrators_only(client, make_user):
    user = make_user("coordinator")
    totp_enable(user)
    client.force_login(user)
    _store("mailto:a@example.org")
    response = client.get("/admin/xapi/unlinked-actors/")
    assert response.status_code in (302, 403)  # Wagtail sends a refused admin page home
    assert b"mailto:a@example.org" not in response.content
