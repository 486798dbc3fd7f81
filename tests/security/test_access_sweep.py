"""Every URL the platform routes, requested by every role, with the identifiers of objects
that belong to another field office and to another trainee: nobody without the right sees
them, and no request answers 500.

The objects carry marks (a family name, an identifier, a username) that must never appear in
what a trainee, a trainer of another office or an anonymous visitor receives. Lead trainers,
coordinators and administrators work for every office and may see them.
"""

import pytest
from django.test import Client

from courses.services.assessment import attempt_start
from courses.services.enrolment import enrolment_create
from tests.courses.builders import course_make
from tests.courses.test_views import complete
from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)
from trainees.imports.services import roster_import_create

from .urlwalk import routes

pytestmark = pytest.mark.django_db

MARKS = ("Zzcanarikoro", "CANARI-90417", "canari.stagiaire", "Formation Canari Kidal")
# Pages that show a mark by design to whoever holds the link.
PUBLIC_BY_DESIGN = {
    # Anyone given a certificate's code may check whose it is and that it is valid.
    "certificate_verify",
}
ALL_OFFICE_ROLES = ("lead_trainer", "coordinator", "administrator")
# Wagtail's page for trying the error page out: a 500 by design, for staff only.
DELIBERATE_ERRORS = {"/admin/failwhale/"}
# Wagtail's choosers read their id with int(): lms/urls.py answers 404 to one that is not a
# number before Wagtail sees it.
WAGTAIL_CHOOSER_PATHS = (
    "/admin/documents/chooser/chosen/x/",
    "/admin/images/chooser/chosen/x/",
    "/admin/snippets/choose/accounts/fieldoffice/chosen/x/",
)


@pytest.fixture
def foreign(home_page):
    """What belongs to the Kidal office and to another trainee."""
    kidal = FieldOfficeFactory(code="kidal", name="Kidal")
    event = TrainingEventFactory(
        title="Formation Canari Kidal", place=PlaceFactory(field_office=kidal)
    )
    person = PersonFactory(family_name="Zzcanarikoro", given_names="Aminata")
    person.identifiers.create(
        type="service_number", value_normalised="CANARI90417", value_as_recorded="CANARI-90417"
    )
    ParticipationFactory(person=person, event=event)
    trainer_kidal = UserFactory(role="trainer", username="formateur.kidal")
    trainer_kidal.field_offices.add(kidal)
    roster = roster_import_create(
        event=event,
        file_name="kidal.csv",
        data="Nom;Prénom\nZzcanarikoro;Aminata\n".encode(),
        user=trainer_kidal,
        enqueue=False,
    )
    course = course_make(title="Cours Canari")
    trainee = UserFactory(role="trainee", username="canari.stagiaire")
    certificate = complete(course, trainee)
    second = course_make(title="Cours Canari suite")
    attempt = attempt_start(enrolment=enrolment_create(user=trainee, course=second), course=second)
    module = second.get_children().live().first()
    fill = {
        "course_key": str(second.translation_key),
        "attempt_id": str(attempt.public_id),
        "code": certificate.code,
        "module_id": str(module.pk),
    }
    by_prefix = {
        "registry/people/": str(person.public_id),
        "registry/events/": str(event.public_id),
        "registry/imports/": str(roster.public_id),
    }
    return fill, by_prefix


def _clients():
    gao = FieldOfficeFactory(code="gao", name="Gao")
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role in ("trainee", "trainer", *ALL_OFFICE_ROLES):
        user = UserFactory(role=role, username=f"sweep.{role}")
        user.field_offices.add(gao)
        if role != "trainee":
            totp_enable(user)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


def _paths(fill, by_prefix):
    for route in routes(fill=fill):
        path = route.path
        for prefix, public_id in by_prefix.items():
            if route.route.startswith(f"fr/{prefix}<uuid:public_id>"):
                path = path.replace("00000000-0000-0000-0000-000000000001", public_id)
        if path.startswith(("/fr/accounts/logout/", "/admin/logout/")):
            continue
        yield route, path


def test_no_role_sees_what_is_not_theirs_on_any_url(foreign):
    fill, by_prefix = foreign
    clients = _clients()
    leaks, errors, requested = [], [], 0
    for route, path in _paths(fill, by_prefix):
        for role, client in clients.items():
            response = client.get(path)
            requested += 1
            if response.status_code >= 500:
                errors.append((role, path))
            if role in ALL_OFFICE_ROLES or route.name in PUBLIC_BY_DESIGN:
                continue
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            leaks += [(role, path, mark) for mark in MARKS if mark in text]
    staff = {"trainer", *ALL_OFFICE_ROLES}
    expected = {(role, path) for role in staff for path in DELIBERATE_ERRORS}
    assert set(errors) == expected, sorted(set(errors) ^ expected)
    assert not leaks, leaks
    assert requested > 300 * len(clients)


def test_the_marks_are_there_for_those_who_may_see_them(foreign):
    """The sweep would pass vacuously if the marked objects were never shown to anyone."""
    fill, by_prefix = foreign
    coordinator = _clients()["coordinator"]
    person = coordinator.get(f"/fr/registry/people/{by_prefix['registry/people/']}/")
    assert person.status_code == 200
    assert "Zzcanarikoro" in person.content.decode()
    assert "CANARI-90417" in person.content.decode()
    event = coordinator.get(f"/fr/registry/events/{by_prefix['registry/events/']}/")
    assert "Formation Canari Kidal" in event.content.decode()
    verify = Client().get(f"/fr/learn/certificates/verify/{fill['code']}/")
    assert verify.status_code == 200


@pytest.mark.parametrize("path", WAGTAIL_CHOOSER_PATHS)
def test_a_chooser_id_that_is_not_a_number_is_not_found(path):
    user = UserFactory(role="administrator", username="sweep.chooser")
    totp_enable(user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert client.get(path, follow=True).status_code == 404
    assert client.get(path.replace("/x/", "/999999/"), follow=True).status_code == 404
