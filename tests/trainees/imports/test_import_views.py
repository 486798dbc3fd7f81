import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.trainees.factories import PlaceFactory, TrainingEventFactory
from trainees.imports.models import RosterImport
from trainees.models import Participation, Person

ROSTER = (
    "Nom;Prénom;Sexe;Année de naissance;Résultat\n"
    "Traoré;Awa;F;1990;réussi\n"
    "Keita;Moussa;M;1985;présent\n"
    'Diallo;=HYPERLINK("http://x");F;1991;présent\n'
)


@pytest.fixture
def office(db):
    return FieldOfficeFactory(code="gao", name="Gao")


@pytest.fixture
def login(client, db):
    def do(role, offices=()):
        user = UserFactory(role=role)
        user.field_offices.add(*offices)
        totp_enable(user)
        client.force_login(user)
        return user

    return do


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def upload(client, event, content=ROSTER, capture=None):
    with capture(execute=True):
        return client.post(
            url("roster_import_index"),
            {
                "event": event.pk,
                "file": SimpleUploadedFile("liste.csv", content.encode()),
                "default_outcome": "attended",
            },
        )


def test_trainer_imports_for_their_office_only(
    client, login, office, django_capture_on_commit_callbacks
):
    login("trainer", [office])
    mine = TrainingEventFactory(title="EOD Gao", place=PlaceFactory(field_office=office))
    other = TrainingEventFactory(title="EOD Mopti")
    page = client.get(url("roster_import_index"))
    assert page.status_code == 200
    assert "EOD Gao" in page.content.decode()
    assert "EOD Mopti" not in page.content.decode()
    refused = upload(client, other, capture=django_capture_on_commit_callbacks)
    assert refused.status_code == 200
    assert RosterImport.objects.count() == 0
    response = upload(client, mine, capture=django_capture_on_commit_callbacks)
    roster_import = RosterImport.objects.get()
    assert response["Location"] == url("roster_import_detail", roster_import.public_id)
    assert roster_import.status == "ready"


def test_other_offices_imports_are_not_found(client, login, office):
    login("trainer", [office])
    roster_import = RosterImport.objects.create(
        event=TrainingEventFactory(), file_name="x.csv", file_hash="0", file_data=b""
    )
    assert client.get(url("roster_import_detail", roster_import.public_id)).status_code == 404


def test_trainees_cannot_import(client, login):
    login("trainee")
    assert client.get(url("roster_import_index")).status_code == 403


def test_preview_status_confirm_and_report(
    client, login, office, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    login("trainer", [office])
    event = TrainingEventFactory(place=PlaceFactory(field_office=office))
    upload(client, event, capture=django_capture_on_commit_callbacks)
    roster_import = RosterImport.objects.get()
    status = client.get(url("roster_import_status", roster_import.public_id)).json()
    assert status == {
        "status": "ready",
        "label": "Ready to confirm",
        "done": 6,
        "total": 6,
        "percent": 100,
        "finished": True,
        "stalled": False,
    }
    with django_assert_max_num_queries(15):
        preview = client.get(url("roster_import_detail", roster_import.public_id))
    text = preview.content.decode()
    assert "3 rows, 3 people: 3 new, 0 linked to people already in the registry" in text
    assert text.count("New person") == 3
    assert Person.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # the background confirm
        response = client.post(url("roster_import_confirm", roster_import.public_id))
    assert response.status_code == 302
    assert (Person.objects.count(), Participation.objects.count()) == (3, 3)
    done = client.get(response["Location"]).content.decode()
    assert "3 rows, 3 people: 3 new, 0 linked, 0 to review." in done
    report = client.get(url("roster_import_report", roster_import.public_id))
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Row;Name;What happened;Person id;Same as row;Score;Reasons"
    awa = Person.objects.get(family_name="Traoré")
    assert lines[1].startswith(f"2;Awa Traoré;New person;{awa.public_id};")
    assert lines[3].startswith('4;"\'=HYPERLINK(""http://x"") Diallo";')  # formula guarded
    assert AuditEvent.objects.filter(action="roster_import.report_export").count() == 1
    # A second confirm is refused and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("roster_import_confirm", roster_import.public_id))
    assert Person.objects.count() == 3


def test_error_report_csv(client, login, office, django_capture_on_commit_callbacks):
    login("trainer", [office])
    event = TrainingEventFactory(place=PlaceFactory(field_office=office))
    upload(
        client,
        event,
        "Nom;Prénom;Sexe\n;Awa;X\n;;F\n",
        capture=django_capture_on_commit_callbacks,
    )
    roster_import = RosterImport.objects.get()
    report = client.get(url("roster_import_errors", roster_import.public_id))
    assert report.content.decode("utf-8-sig").splitlines() == [
        "Row;Column;Problem",
        "2;Sexe;“X” is not a sex (write F or M, femme/homme, female/male): left empty.",
        '2;Nom;"Only one name (“Awa”): imported and matched on what the row gives; add the '
        'other name if it is known."',
        "3;Nom;No name on this row: the row is left out.",
    ]


def test_mapping_screen(client, login, office, django_capture_on_commit_callbacks):
    login("trainer", [office])
    event = TrainingEventFactory(place=PlaceFactory(field_office=office))
    upload(
        client,
        event,
        "Nom;Prénom;Ethnie\nTraoré;Awa;Gao\n",
        capture=django_capture_on_commit_callbacks,
    )
    roster_import = RosterImport.objects.get()
    page = client.get(url("roster_import_detail", roster_import.public_id)).content.decode()
    assert "These columns were not recognised: Ethnie." in page
    assert '<label for="id_col_2">Ethnie' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("roster_import_mapping", roster_import.public_id),
            {"col_0": "family_name", "col_1": "given_names", "col_2": "ignore"},
        )
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == "ready"
    bad = client.post(
        url("roster_import_mapping", roster_import.public_id),
        {"col_0": "ignore", "col_1": "ignore", "col_2": "ignore"},
    )
    assert bad.status_code == 400  # the columns can be changed again, but never to no name
    assert "No column holds the names" in bad.content.decode()
