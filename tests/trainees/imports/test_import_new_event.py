"""The upload screen can describe a new event: created with the confirm, or not at all."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.trainees.factories import PlaceFactory, ProgrammeFactory
from trainees.imports import services
from trainees.imports.events import new_event_check
from trainees.imports.models import RosterImport
from trainees.imports.services import (
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)
from trainees.models import Participation, Person, TrainingEvent

ROSTER = (
    "Nom;Prénom;Sexe;Année de naissance;Résultat\n"
    "Traoré;Awa;F;1990;réussi\n"
    "Keita;Moussa;M;1985;présent\n"
)


@pytest.fixture
def gao(db):
    return FieldOfficeFactory(code="gao", name="Gao")


@pytest.fixture
def kidal(db):
    return FieldOfficeFactory(code="kidal", name="Kidal")


@pytest.fixture
def programme(db):
    return ProgrammeFactory(code="eod")


@pytest.fixture
def login(client, db):
    def do(role, offices=()):
        user = UserFactory(role=role)
        user.field_offices.add(*offices)
        totp_enable(user)
        client.force_login(user)
        return user

    return do


def _spec(user, programme, **changes):
    fields = {
        "title": "EOD niveau 1 Gao",
        "programme": programme,
        "kind": "course",
        "start_date": datetime.date(2026, 10, 5),
        "end_date": datetime.date(2026, 10, 9),
        "place": None,
        "field_office": None,
        **changes,
    }
    return new_event_check(user=user, **fields)


def _preview(spec, user, content=ROSTER):
    roster_import = roster_import_create(
        new_event=spec, file_name="liste.csv", data=content.encode(), user=user, enqueue=False
    )
    return roster_import_analyse(roster_import=roster_import)


def test_the_event_is_created_by_the_confirm_and_only_once(gao, programme):
    trainer = UserFactory(role="trainer")
    trainer.field_offices.add(gao)
    place = PlaceFactory(name="Gao ville", field_office=gao)
    spec = _spec(trainer, programme, place=place)
    assert spec["field_office"] == gao.pk  # the place's office

    roster_import = _preview(spec, trainer)
    assert roster_import.status == "ready"
    assert (roster_import.summary["new"], roster_import.event) == (2, None)
    assert TrainingEvent.objects.count() == 0  # the preview creates nothing

    roster_import = roster_import_confirm(roster_import=roster_import, user=trainer)
    assert roster_import.status == "confirmed"
    event = TrainingEvent.objects.get()
    assert (event.title, event.programme, event.kind, event.place, event.field_office) == (
        "EOD niveau 1 Gao",
        programme,
        "course",
        place,
        gao,
    )
    assert (event.start_date, event.end_date, event.created_by) == (
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 9),
        trainer,
    )
    assert roster_import.event == event
    assert Participation.objects.filter(event=event).count() == 2

    # The same file for the same new event again: the preview says so, the confirm changes
    # nothing and creates no second event.
    again = _preview(spec, trainer)
    assert again.summary["already_imported"] == str(roster_import.public_id)
    again = roster_import_confirm(roster_import=again, user=trainer)
    assert again.status == "unchanged"
    assert again.event == event
    assert (TrainingEvent.objects.count(), Person.objects.count()) == (1, 2)
    assert Participation.objects.count() == 2


def test_an_abandoned_or_failed_import_leaves_no_event(gao, programme, monkeypatch):
    coordinator = UserFactory(role="coordinator")
    spec = _spec(coordinator, programme, field_office=gao)
    _preview(spec, coordinator)  # never confirmed
    roster_import = _preview(spec, coordinator)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_participations_write", broken)
    with pytest.raises(RuntimeError):
        roster_import_confirm(roster_import=roster_import, user=coordinator)
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.event_id) == ("ready", None)
    assert (TrainingEvent.objects.count(), Person.objects.count()) == (0, 0)


def test_new_event_check_names_every_problem(gao, kidal, programme):
    trainer = UserFactory(role="trainer")
    trainer.field_offices.add(gao)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _spec(
            trainer,
            None,
            title=" ",
            kind="online",
            start_date=datetime.date(2026, 10, 9),
            end_date=datetime.date(2026, 10, 5),
            field_office=kidal,
        )
    assert caught.value.message_dict == {
        "title": ["Give the event a title."],
        "programme": ["Choose the event's programme."],
        "kind": ["Unknown kind of event: online."],
        "end_date": ["The end date cannot be before the start date."],
        "field_office": ["You cannot record events for the Kidal field office."],
    }
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _spec(trainer, programme)
    assert caught.value.message_dict == {
        "field_office": ["Choose the field office the event belongs to."]
    }
    coordinator = UserFactory(role="coordinator")
    place = PlaceFactory(name="Anefis", field_office=kidal)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _spec(coordinator, programme, place=place, field_office=gao)
    assert caught.value.message_dict == {
        "place": ["Anefis belongs to the Kidal field office, not to Gao."]
    }


def _post(client, data, capture):
    with translation.override("en"):
        url = reverse("roster_import_index")
    with capture(execute=True):
        return client.post(url, {"file": SimpleUploadedFile("liste.csv", ROSTER.encode()), **data})


def test_upload_screen_creates_the_event_at_confirm(
    client, login, gao, kidal, programme, django_capture_on_commit_callbacks
):
    trainer = login("trainer", [gao])
    place = PlaceFactory(name="Gao ville", field_office=gao)
    PlaceFactory(name="Anefis", field_office=kidal)
    with translation.override("en"):
        page = client.get(reverse("roster_import_index")).content.decode()
    assert "Create a new event" in page
    assert "Gao ville" in page and "Anefis" not in page  # other offices' places not offered
    new_event = {
        "event_choice": "new",
        "title": "Déminage Gao",
        "programme": programme.pk,
        "kind": "practical",
        "start_date": "2026-10-05",
        "end_date": "",
        "place": place.pk,
        "field_office": "",
        "default_outcome": "attended",
    }

    # Another office, a missing title: clear errors, nothing stored.
    with translation.override("en"):
        refused = _post(
            client,
            {**new_event, "title": "", "field_office": kidal.pk},
            django_capture_on_commit_callbacks,
        )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Give the event a title." in body
    assert "Select a valid choice. That choice is not one of the available choices." in body
    assert RosterImport.objects.count() == 0

    response = _post(client, new_event, django_capture_on_commit_callbacks)
    roster_import = RosterImport.objects.get()
    with translation.override("en"):
        assert response["Location"] == reverse(
            "roster_import_detail", args=[roster_import.public_id]
        )
        detail = client.get(response["Location"]).content.decode()
    assert roster_import.status == "ready" and roster_import.event is None
    assert "Déminage Gao" in detail
    assert TrainingEvent.objects.count() == 0
    assert AuditEvent.objects.filter(action="roster_import.upload", user=trainer).exists()

    with translation.override("en"):
        confirm = reverse("roster_import_confirm", args=[roster_import.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    event = TrainingEvent.objects.get()
    assert (event.title, event.kind, event.field_office, event.end_date) == (
        "Déminage Gao",
        "practical",
        gao,
        datetime.date(2026, 10, 5),
    )
    assert Participation.objects.filter(event=event).count() == 2


def test_existing_event_still_required_when_not_creating_one(
    client, login, gao, django_capture_on_commit_callbacks
):
    login("trainer", [gao])
    with translation.override("en"):
        response = _post(
            client,
            {"event_choice": "existing", "default_outcome": "attended"},
            django_capture_on_commit_callbacks,
        )
    assert "Choose the training event, or create a new one." in response.content.decode()
    assert RosterImport.objects.count() == 0
