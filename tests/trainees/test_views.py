"""Registry screens: access by role and field office, audit records, query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory, totp_enable
from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.models import AggregateCount, AggregateSession
from trainees.selectors import CountScope, people_count, people_reached
from trainees.services import participation_record

pytestmark = pytest.mark.django_db

PERSON_LINK = re.compile(r'href="/fr/registry/people/[0-9a-f-]{36}/"')


@pytest.fixture
def staff(make_user, client):
    """Sign in a staff user (staff roles need a second factor before anything else)."""

    def sign_in(role, offices=()):
        user = make_user(role=role)
        totp_enable(user)
        user.field_offices.set(offices)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def offices():
    return FieldOfficeFactory(code="gao", name="Gao"), FieldOfficeFactory(
        code="mopti", name="Mopti"
    )


@pytest.fixture
def mopti_event(offices):
    place = PlaceFactory(name="Sévaré", field_office=offices[1])
    return TrainingEventFactory(title="NEDEX Mopti", place=place)


@pytest.fixture
def gao_trainer(staff, offices):
    return staff("trainer", [offices[0]])


def test_trainer_of_gao_cannot_see_a_mopti_event_or_its_people(client, gao_trainer, mopti_event):
    person = PersonFactory(given_names="Awa", family_name="Sangaré")
    ParticipationFactory(person=person, event=mopti_event)
    assert (
        client.get(reverse("registry_event_detail", args=[mopti_event.public_id])).status_code
        == 404
    )
    assert client.get(reverse("registry_person_detail", args=[person.public_id])).status_code == 404
    response = client.get(reverse("registry_people_index"))
    assert response.status_code == 200
    assert "Sangaré" not in response.content.decode()
    assert "NEDEX Mopti" not in client.get(reverse("registry_event_index")).content.decode()
    assert not AuditEvent.objects.filter(action="person.view").exists()


def test_trainer_sees_the_people_of_their_office_and_the_view_is_audited(
    client, gao_trainer, offices
):
    event = TrainingEventFactory(title="NEDEX Gao", place=PlaceFactory(field_office=offices[0]))
    person = PersonFactory(given_names="Moussa", family_name="Diarra")
    ParticipationFactory(person=person, event=event, source_file="liste-gao.csv", source_row=7)
    response = client.get(reverse("registry_person_detail", args=[person.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "DIARRA Moussa" in html
    assert "NEDEX Gao" in html
    assert "liste-gao.csv" in html
    audit = AuditEvent.objects.get(action="person.view")
    assert (audit.user, audit.target_id) == (gao_trainer, str(person.pk))
    response = client.get(reverse("registry_event_detail", args=[event.public_id]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="event.participants.view").count() == 1


def test_trainees_cannot_see_the_registry(client, make_user):
    client.force_login(make_user(role="trainee"))
    assert client.get(reverse("registry_people_index")).status_code == 403
    assert client.get(reverse("registry_event_index")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("registry_people_index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_coordinator_sees_everyone_and_searches(client, staff, mopti_event):
    staff("coordinator")
    awa = PersonFactory(given_names="Awa", family_name="Sangaré")
    ParticipationFactory(person=awa, event=mopti_event)
    PersonFactory(given_names="Moussa", family_name="Keïta")
    response = client.get(reverse("registry_people_index"), {"q": "sangare"})
    html = response.content.decode()
    assert "SANGARÉ Awa" in html
    assert "KEÏTA" not in html
    assert AuditEvent.objects.get(action="person.list").detail["query"] == "sangare"


def test_record_page_shows_statements_merges_and_empty_certificates(client, staff):
    staff("coordinator")
    survivor = PersonFactory(given_names="Oumar", family_name="Touré")
    merged = PersonFactory(given_names="Oumar", family_name="Toure", merged_into=survivor)
    event = TrainingEventFactory(title="GAM Bamako")
    participation_record(person=survivor, event=event, outcome="passed", source="manual")
    response = client.get(reverse("registry_person_detail", args=[survivor.public_id]))
    html = response.content.decode()
    assert 'id="certificates"' in html
    assert "GAM Bamako" in html  # participation and its statement's activity
    assert html.count("GAM Bamako") >= 2
    assert "TOURE Oumar" in html  # merged into this record
    response = client.get(reverse("registry_person_detail", args=[merged.public_id]))
    assert reverse("registry_person_detail", args=[survivor.public_id]) in response.content.decode()


def test_people_list_query_count_does_not_grow(client, staff, django_assert_max_num_queries):
    staff("coordinator")
    for _ in range(60):
        PersonFactory()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registry_people_index"))
    assert response.status_code == 200
    assert len(PERSON_LINK.findall(response.content.decode())) == 50


def test_trainer_people_list_query_count(
    client, gao_trainer, offices, django_assert_max_num_queries
):
    event = TrainingEventFactory(place=PlaceFactory(field_office=offices[0]))
    for _ in range(30):
        ParticipationFactory(event=event)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registry_people_index"))
    assert len(PERSON_LINK.findall(response.content.decode())) == 30
    with django_assert_max_num_queries(14):
        response = client.get(reverse("registry_event_detail", args=[event.public_id]))
    assert len(PERSON_LINK.findall(response.content.decode())) == 30


def test_record_a_session_and_it_counts_as_reached(client, gao_trainer, offices):
    programme = ProgrammeFactory(code="risk_education")
    gao = PlaceFactory(name="Gao", field_office=offices[0])
    mopti = PlaceFactory(name="Mopti", field_office=offices[1])
    data = {
        "title": "Causerie Gao",
        "programme": programme.pk,
        "kind": "risk_education",
        "date": "2024-02-03",
        "place": mopti.pk,
        "count_F_5_12": "12",
        "count_M_18_24": "8",
    }
    response = client.post(reverse("registry_session_new"), data)
    assert response.status_code == 200  # Mopti is not this trainer's office
    assert AggregateSession.objects.count() == 0
    data["place"] = gao.pk
    response = client.post(reverse("registry_session_new"), data)
    assert response.status_code == 302
    session = AggregateSession.objects.get()
    assert session.field_office == offices[0]
    assert sorted(AggregateCount.objects.values_list("sex", "age_band", "count")) == [
        ("F", "5_12", 12),
        ("M", "18_24", 8),
    ]
    assert people_reached(scope=CountScope()) == 20
    assert people_reached(scope=CountScope(age_bands=("under_18",))) == 12
    assert people_reached(scope=CountScope(sexes=("M",), date_from=datetime.date(2024, 1, 1))) == 8
    assert "Causerie Gao" in client.get(reverse("registry_session_index")).content.decode()


def test_session_without_headcount_is_refused(client, gao_trainer, offices):
    programme = ProgrammeFactory(code="risk_education")
    gao = PlaceFactory(name="Gao", field_office=offices[0])
    response = client.post(
        reverse("registry_session_new"),
        {
            "title": "Vide",
            "programme": programme.pk,
            "kind": "briefing",
            "date": "2024-02-03",
            "place": gao.pk,
        },
    )
    assert "Saisissez au moins un effectif." in response.content.decode()
    assert AggregateSession.objects.count() == 0


def test_record_page_lists_certificates_of_the_person_and_of_records_merged_into_it(
    client, staff, make_user, home_page
):
    from courses.services.certificates import certificate_issue, certificate_revoke
    from courses.services.enrolment import enrolment_create
    from tests.courses.builders import course_make

    coordinator = staff("coordinator")
    course = course_make(title="Sensibilisation NEM")
    survivor = PersonFactory(given_names="Oumar", family_name="Touré", user=make_user())
    merged = PersonFactory(
        given_names="Oumar", family_name="Toure", user=make_user(), merged_into=survivor
    )
    stranger = PersonFactory(given_names="Awa", family_name="Keïta", user=make_user())
    own = certificate_issue(
        enrolment=enrolment_create(user=survivor.user, course=course), course=course
    )
    brought = certificate_issue(
        enrolment=enrolment_create(user=merged.user, course=course), course=course
    )
    certificate_revoke(certificate=brought, user=coordinator, reason="Erreur de saisie")
    other = certificate_issue(
        enrolment=enrolment_create(user=stranger.user, course=course), course=course
    )

    html = client.get(reverse("registry_person_detail", args=[survivor.public_id])).content.decode()
    section = html[html.index('id="certificates"') : html.index('id="statements-heading"')]
    assert own.code in section and brought.code in section
    assert other.code not in section
    assert "Sensibilisation NEM" in section
    assert "Valide" in section and "Révoqué" in section
    assert reverse("courses:certificate_verify", kwargs={"code": own.code}) in section


def test_a_coordinator_withdraws_a_participation_recorded_in_error(client, staff, offices):
    coordinator = staff("coordinator")
    event = TrainingEventFactory(title="NEDEX Gao", place=PlaceFactory(field_office=offices[0]))
    person = PersonFactory(given_names="Moussa", family_name="Diarra")
    participation = participation_record(
        person=person, event=event, outcome="completed", source="manual"
    )
    assert people_count(scope=CountScope()) == 1
    page = client.get(reverse("registry_person_detail", args=[person.public_id])).content.decode()
    url = reverse("registry_participation_withdraw", args=[participation.public_id])
    assert f'action="{url}"' in page and "Retirer cette participation" in page

    assert client.get(url).status_code == 405  # a change is a POST
    # No reason: nothing changes, and the page says why.
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "Indiquez pourquoi la participation est retirée" in response.content.decode()
    participation.refresh_from_db()
    assert participation.voided is False

    response = client.post(url, {"reason": "Liste de Mopti importée deux fois"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("registry_person_detail", args=[person.public_id])
    )
    html = response.content.decode()
    assert "elle ne compte plus nulle part" in html
    assert "Liste de Mopti importée deux fois" in html
    participation.refresh_from_db()
    assert participation.voided and participation.void_reason == "Liste de Mopti importée deux fois"
    assert people_count(scope=CountScope()) == 0
    audit = AuditEvent.objects.get(action="participation.withdraw")
    assert (audit.user, audit.target_id) == (coordinator, str(person.pk))
    # A second time changes nothing more.
    client.post(url, {"reason": "encore"})
    participation.refresh_from_db()
    assert participation.void_reason == "Liste de Mopti importée deux fois"


def test_a_trainer_cannot_withdraw_a_participation(client, gao_trainer, offices, mopti_event):
    event = TrainingEventFactory(title="NEDEX Gao", place=PlaceFactory(field_office=offices[0]))
    mine = ParticipationFactory(person=PersonFactory(), event=event)
    page = client.get(reverse("registry_person_detail", args=[mine.person.public_id]))
    assert "registry/participations/" not in page.content.decode()
    url = reverse("registry_participation_withdraw", args=[mine.public_id])
    assert client.post(url, {"reason": "x"}).status_code == 403
    # Another office's participation: not disclosed at all.
    theirs = ParticipationFactory(person=PersonFactory(), event=mopti_event)
    url = reverse("registry_participation_withdraw", args=[theirs.public_id])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action="participation.withdraw_refused").count() == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert not mine.voided and not theirs.voided


def test_a_coordinator_corrects_a_persons_names(client, staff):
    coordinator = staff("coordinator")
    person = PersonFactory(given_names="Mousa", family_name="Diara")
    url = reverse("registry_person_names", args=[person.public_id])
    page = client.get(reverse("registry_person_detail", args=[person.public_id])).content.decode()
    assert f'action="{url}"' in page and "Corriger les noms" in page

    response = client.post(url, {"given_names": " ", "family_name": ""}, follow=True)
    assert "Indiquez au moins un nom" in response.content.decode()
    response = client.post(url, {"given_names": "Moussa", "family_name": " Diarra "}, follow=True)
    assert "Les noms ont été corrigés." in response.content.decode()
    person.refresh_from_db()
    assert (person.given_names, person.family_name) == ("Moussa", "Diarra")
    assert person.family_normalised == "diarra"
    audit = AuditEvent.objects.get(action="person.names_correct")
    assert audit.user == coordinator
    assert audit.detail["before"] == {"given_names": "Mousa", "family_name": "Diara"}


def test_a_trainer_cannot_correct_names(client, gao_trainer, offices):
    event = TrainingEventFactory(place=PlaceFactory(field_office=offices[0]))
    person = ParticipationFactory(person=PersonFactory(given_names="Awa"), event=event).person
    page = client.get(reverse("registry_person_detail", args=[person.public_id])).content.decode()
    assert "/names/" not in page
    url = reverse("registry_person_names", args=[person.public_id])
    assert client.post(url, {"given_names": "Aminata"}).status_code == 403
    person.refresh_from_db()
    assert person.given_names == "Awa"


def test_a_coordinator_corrects_an_event_and_its_people_count_under_the_new_place(
    client, staff, offices
):
    coordinator = staff("coordinator")
    gao = PlaceFactory(name="Gao ville", field_office=offices[0])
    sevare = PlaceFactory(name="Sévaré", field_office=offices[1])
    event = TrainingEventFactory(title="NEDEX", place=gao)
    participation_record(person=PersonFactory(), event=event, outcome="completed", source="manual")
    assert people_count(scope=CountScope(field_offices=("mopti",))) == 0
    page = client.get(reverse("registry_event_detail", args=[event.public_id])).content.decode()
    url = reverse("registry_event_correct", args=[event.public_id])
    assert f'href="{url}"' in page
    form = client.get(url)
    assert form.status_code == 200 and "Corriger l'activité" in form.content.decode()

    data = {
        "title": "NEDEX Sévaré",
        "programme": event.programme.pk,
        "kind": "course",
        "start_date": "2022-03-01",
        "end_date": "2022-02-27",
        "place": sevare.pk,
    }
    response = client.post(url, data)  # the end before the start: refused, nothing changed
    assert response.status_code == 200
    assert "La date de fin ne peut pas précéder la date de début." in response.content.decode()
    event.refresh_from_db()
    assert event.place == gao

    response = client.post(url, dict(data, end_date="2022-03-04"), follow=True)
    assert "ses participations et tous les décomptes suivent" in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.place, event.field_office) == ("NEDEX Sévaré", sevare, offices[1])
    assert people_count(scope=CountScope(field_offices=("mopti",))) == 1
    audit = AuditEvent.objects.get(action="event.correct")
    assert audit.user == coordinator and audit.detail["before"]["place"] == str(gao)


def test_a_trainer_cannot_correct_an_event(client, gao_trainer, offices, mopti_event):
    mine = TrainingEventFactory(place=PlaceFactory(field_office=offices[0]))
    page = client.get(reverse("registry_event_detail", args=[mine.public_id])).content.decode()
    assert "/correct/" not in page
    assert client.get(reverse("registry_event_correct", args=[mine.public_id])).status_code == 403
    url = reverse("registry_event_correct", args=[mopti_event.public_id])
    assert client.get(url).status_code == 404
