"""An administrator makes LRS credentials and browses statements in the Wagtail admin, on a
phone-sized screen, in French and in English."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from lms.xapi.emitter import ActivityRef, Verb, statement_emit
from lms.xapi.models import LRSClient
from tests.factories import PASSWORD, UserFactory, totp_code, totp_enable

TEXT = {
    "fr": {
        "name": "Nom",
        "scope": "Écrire des déclarations",
        "created": "Client LRS créé",
        "statements": "Déclarations",
        "count": "1 déclaration",
    },
    "en": {
        "name": "Name",
        "scope": "Write statements",
        "created": "LRS client created",
        "statements": "Statements",
        "count": "1 statement",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_administrator_creates_a_client_and_browses_statements(page, sign_in, language):
    user = UserFactory(username="admin", role="administrator")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    secret = totp_enable(user)
    person = uuid.uuid4()
    statement_emit(
        event_key="browser",
        person_uuid=person,
        verb=Verb.COMPLETED,
        activity=ActivityRef(kind="course", uuid=uuid.uuid4(), name={"fr": "C", "en": "C"}),
    )
    sign_in("admin", PASSWORD, language)
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/my-learning/$"))

    page.goto("/admin/xapi_clients/new/")
    expect(page).to_have_url(re.compile("/admin/xapi_clients/new/$"))
    expect(page.locator("label[for=id_name]")).to_contain_text(TEXT[language]["name"])
    page.locator("#id_name").fill("H5P")
    page.get_by_label(TEXT[language]["scope"]).check()
    page.locator("form [type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TEXT[language]["created"])
    shown = page.get_by_test_id("secret").inner_text()
    client = LRSClient.objects.get()
    assert client.secret_check(shown)
    assert client.scopes == ["statements/write"]

    page.goto(f"/admin/xapi/statements/?actor={person}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TEXT[language]["statements"])
    expect(page.locator("table.listing caption")).to_have_text(TEXT[language]["count"])
    page.locator("tbody a").first.click()
    expect(page.locator("pre")).to_contain_text(str(person))
