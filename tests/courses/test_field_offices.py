"""Trainer screens are scoped by field office: a trainer of Gao neither sees nor acts for a
trainee of Kidal; lead trainers and coordinators act for every office."""

import pytest

from courses.models import Enrolment, PracticalSignoff
from courses.services.enrolment import enrolment_create
from lms.core.models import AuditEvent
from lms.xapi.models import Statement
from tests.courses.builders import course_make, office_join
from tests.courses.test_completion import modules_finish
from tests.factories import totp_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    gao_trainer = make_user(role="trainer", username="gao.trainer")
    gao_trainee = make_user(role="trainee", username="awa", first_name="Awa")
    kidal_trainee = make_user(
        role="trainee", username="fatoumata", first_name="Fatoumata", last_name="Ag Ahmed"
    )
    office_join("gao", gao_trainer, gao_trainee)
    office_join("kidal", kidal_trainee)
    totp_enable(gao_trainer)
    return gao_trainer, gao_trainee, kidal_trainee


def test_enrol_screen_lists_and_enrols_only_trainees_of_the_trainers_offices(
    client, home_page, people
):
    course = course_make()
    trainer, awa, fatoumata = people
    client.force_login(trainer)
    url = f"/en/learn/courses/{course.translation_key}/enrol-trainees/"
    body = client.get(url).content.decode()
    assert "Awa Traoré (awa)" in body
    assert "fatoumata" not in body.lower()

    response = client.post(url, {"usernames": "awa\nfatoumata"})
    assert response.status_code == 200
    assert "fatoumata is not a trainee of your field offices." in response.content.decode()
    assert not Enrolment.objects.exists()
    assert not Statement.objects.exists()

    response = client.post(url, {"trainees": [str(fatoumata.pk)]})
    assert "Select a valid choice." in response.content.decode()
    assert not Enrolment.objects.exists()

    response = client.post(url, {"trainees": [str(awa.pk)]}, follow=True)
    assert "Enrolled: 1. Already enrolled: 0." in response.content.decode()
    assert list(Enrolment.objects.values_list("user__username", flat=True)) == ["awa"]
    assert "Awa Traoré (awa)" not in response.content.decode()  # enrolled: no longer offered


def test_enrol_screen_needs_a_choice(client, home_page, people):
    course = course_make()
    client.force_login(people[0])
    response = client.post(f"/en/learn/courses/{course.translation_key}/enrol-trainees/", {})
    assert "Choose at least one trainee or enter a username." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_registry_participation_puts_an_account_in_an_office(client, home_page, people):
    """An account without offices whose registry person trained in Gao is a Gao trainee."""
    from tests.trainees.factories import ParticipationFactory, PersonFactory

    course = course_make()
    trainer, _awa, fatoumata = people
    fatoumata.field_offices.clear()
    person = PersonFactory(user=fatoumata)
    ParticipationFactory(person=person, event__place__field_office=office_join("gao"))
    client.force_login(trainer)
    response = client.post(
        f"/en/learn/courses/{course.translation_key}/enrol-trainees/",
        {"usernames": "fatoumata"},
        follow=True,
    )
    assert "Enrolled: 1. Already enrolled: 0." in response.content.decode()


def test_signoff_screen_shows_and_signs_off_only_trainees_of_the_trainers_offices(
    client, home_page, people
):
    course = course_make(questions=0, signoff=True)
    trainer, awa, fatoumata = people
    mine, theirs = (enrolment_create(user=user, course=course) for user in (awa, fatoumata))
    for enrolment in (mine, theirs):
        modules_finish(enrolment, course)
    client.force_login(trainer)
    body = client.get("/en/learn/signoffs/").content.decode()
    assert "Awa Traoré" in body and "Fatoumata" not in body
    assert str(theirs.public_id) not in body

    response = client.post(
        "/en/learn/signoffs/", {"enrolment": str(theirs.public_id), "note": "OK"}, follow=True
    )
    assert (
        "Fatoumata Ag Ahmed is not a trainee of your field offices: nothing was signed off."
        in response.content.decode()
    )
    assert not PracticalSignoff.objects.exists()
    assert not AuditEvent.objects.filter(action="course.practical_signoff").exists()
    theirs.refresh_from_db()
    assert theirs.status == Enrolment.Status.ACTIVE


@pytest.mark.parametrize("role", ["lead_trainer", "administrator"])
def test_lead_trainers_and_administrators_act_for_every_office(
    client, home_page, people, make_user, role
):
    course = course_make(questions=0, signoff=True)
    _trainer, awa, fatoumata = people
    enrolments = [enrolment_create(user=user, course=course) for user in (awa, fatoumata)]
    for enrolment in enrolments:
        modules_finish(enrolment, course)
    staff = make_user(role=role)
    totp_enable(staff)
    client.force_login(staff)
    body = client.get("/en/learn/signoffs/").content.decode()
    assert "Awa Traoré" in body and "Fatoumata Ag Ahmed" in body
    response = client.post(
        "/en/learn/signoffs/", {"enrolment": str(enrolments[1].public_id)}, follow=True
    )
    assert "Practical work signed off for Fatoumata Ag Ahmed." in response.content.decode()
    assert PracticalSignoff.objects.get().enrolment == enrolments[1]
