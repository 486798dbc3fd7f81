"""The registry's menu and reference-data screens in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail import hooks

from tests.factories import totp_enable
from trainees.wagtail_hooks import REGISTRY_MENU_HOOK

pytestmark = pytest.mark.django_db


def test_registry_menu_holds_every_screen(rf, make_user):
    reverse("wagtailadmin_home")  # loads the admin's URLs, which registers the viewsets
    request = rf.get("/admin/")
    request.user = make_user(role="coordinator")
    items = [fn() for fn in hooks.get_hooks(REGISTRY_MENU_HOOK)]
    names = {item.name for item in items if item.is_shown(request)}
    assert {
        "registry_people_index",
        "registry_event_index",
        "registry_session_index",
        "registry_organisations",
        "registry_places",
        "registry_programmes",
    } <= names


def test_coordinator_edits_organisations_and_a_trainer_only_reads_them(client, make_user):
    coordinator = make_user(role="coordinator")
    totp_enable(coordinator)
    client.force_login(coordinator)
    assert client.get("/admin/registry_organisations/").status_code == 200
    response = client.post(
        "/admin/registry_organisations/new/",
        {
            "code": "mag",
            "name_fr": "Mines Advisory Group",
            "name_en": "Mines Advisory Group",
            "category": "ngo",
            "reporting_category": "humanitarian",
        },
    )
    assert response.status_code == 302
    from trainees.models import Organisation

    assert Organisation.objects.get(code="mag").name_normalised == "mines advisory group"
    trainer = make_user(role="trainer")
    totp_enable(trainer)
    client.force_login(trainer)
    assert client.get("/admin/registry_organisations/").status_code == 200
    assert client.get("/admin/registry_organisations/new/").status_code in (302, 403)
