"""Bad input: a clear message per row and column or for the file, never a server error, and
nothing half-written. What stops a file is only what the trainer must fix (not a table, no
header, over the limits, no name); any other bad cell is left empty with its message and the
row imported. Checked through the trainer's screen, in English and in French."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from tests.factories import FieldOfficeFactory, UserFactory
from tests.trainees.factories import PlaceFactory, TrainingEventFactory
from trainees.imports.models import RosterImport
from trainees.models import Identifier, MatchDecision, Participation, Person

HEADER = "Nom;Prénom;Date de naissance;Année de naissance;NINA;Téléphone\n"


def xlsx_text_only() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Compte rendu de la réunion du 3 mars"])
    workbook.active.append(["Les participants ont été informés."])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


#: What stops the file (or asks the trainer): nothing is written, the message says why.
CASES = [
    (
        "unknown columns",
        "Nom;Prénom;Ethnie;Religion\nTraoré;Awa;x;y\n",
        "mapping",
        "These columns were not recognised: Ethnie, Religion. Say what each one holds, "
        "or ignore it.",
    ),
    (
        "no name on the only row",
        HEADER + ";;;;;\n".replace(";;;;;", ";;01/02/1990;;;"),
        "invalid",
        "Row 2, column Nom: No name on this row: the row is left out.",
    ),
    (
        "not a table",
        b"%PDF-1.7\n\x00\x01\x02\x03 stream",
        "invalid",
        "This file is not a table: upload a spreadsheet saved as CSV or Excel (.xlsx).",
    ),
    (
        "an Excel sheet of prose",
        xlsx_text_only(),
        "invalid",
        "This file is not a table: upload a spreadsheet saved as CSV or Excel (.xlsx).",
    ),
    (
        "empty file",
        b"",
        "invalid",
        "The file is empty: it has no header row and no trainee rows.",
    ),
    (
        "50,000 rows",
        ("Nom;Prénom\n" + "Traoré;Awa\n" * 50_000).encode(),
        "invalid",
        "The file has more than 20000 rows: split it into files of at most 20000 rows.",
    ),
]

#: What a trainer cannot fix never blocks: the cell is left empty (or read another way),
#: the row is imported, and its message is on the row.
WARNINGS = [
    (
        "impossible date",
        HEADER + "Traoré;Awa;30/02/1990;;;\n",
        "Row 2, column Date de naissance: “30/02/1990” is an impossible date "
        "(there is no such day): left empty.",
    ),
    (
        "year of birth in the future",
        HEADER + "Traoré;Awa;;2091;;\n",
        "Row 2, column Année de naissance: The year of birth 2091 is in the future: left empty.",
    ),
    (
        "date of birth far in the future",
        HEADER + "Traoré;Awa;12/03/2091;;;\n",
        "Row 2, column Date de naissance: The date of birth 12/03/2091 is in the future: "
        "left empty.",
    ),
    (
        "date of birth before 1920",
        HEADER + "Traoré;Awa;12/03/1911;;;\n",
        "Row 2, column Date de naissance: The date of birth 12/03/1911 is before 1920: left empty.",
    ),
    (
        "identifier in the wrong format",
        HEADER + "Traoré;Awa;;;12345;\n",
        "Row 2, column NINA: NINA “12345” is not valid: a NINA has 14 digits followed by "
        "one letter. It was left out.",
    ),
    (
        "phone in the wrong format",
        HEADER + "Traoré;Awa;;;;12 34\n",
        "Row 2, column Téléphone: Phone number “12 34” is not valid: a Malian number has 8 "
        "digits after the optional +223. It was left out.",
    ),
    (
        "phone cell holding text",
        HEADER + "Traoré;Awa;;;;appeler le chef de poste\n",
        "Row 2, column Téléphone: “appeler le chef de poste” is not a phone number: left out.",
    ),
    (
        "only a family name",
        HEADER + "Traoré;;;;;\n",
        "Row 2, column Prénom: Only one name (“Traoré”): imported and matched on what the row "
        "gives; add the other name if it is known.",
    ),
]


@pytest.fixture
def trainer_client(client, db):
    office = FieldOfficeFactory(code="gao", name="Gao")
    user = UserFactory(role="trainer")
    user.field_offices.add(office)
    from tests.factories import totp_enable

    totp_enable(user)
    client.force_login(user)
    event = TrainingEventFactory(place=PlaceFactory(field_office=office))
    return client, event


def written():
    return (
        Person.objects.count(),
        Participation.objects.count(),
        Identifier.objects.count(),
        MatchDecision.objects.count(),
    )


@pytest.mark.parametrize(("case", "content", "status", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_the_exact_message_and_writes_nothing(
    trainer_client, django_capture_on_commit_callbacks, case, content, status, message
):
    client, event = trainer_client
    data = content.encode() if isinstance(content, str) else content
    name = "liste.xlsx" if data.startswith(b"PK") else "liste.csv"
    with django_capture_on_commit_callbacks(execute=True):
        with translation.override("en"):
            url = reverse("roster_import_index")
        response = client.post(
            url, {"event": event.pk, "file": _upload(name, data), "default_outcome": "attended"}
        )
    assert response.status_code == 302
    roster_import = RosterImport.objects.get()
    assert roster_import.status == status
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    if message.startswith("Row "):
        row, _sep, rest = message.partition(", column ")
        column, _sep, problem = rest.partition(": ")
        assert f"<td>{row[4:]}</td><td>{column}</td><td>{problem}</td>" in text.replace(
            "&#x27;", "'"
        )
    else:
        assert message in text
    # Confirm is refused: nothing is ever written from a bad file.
    confirm = client.post(reverse("roster_import_confirm", args=[roster_import.public_id]))
    assert confirm.status_code == 302
    assert written() == (0, 0, 0, 0)


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def _shown(text: str, message: str) -> bool:
    row, _sep, rest = message.partition(", column ")
    column, _sep, problem = rest.partition(": ")
    cell = f"<td>{row[4:]}</td><td>{column}</td><td>{problem}</td>"
    return cell in text.replace("&#x27;", "'")


@pytest.mark.parametrize(("case", "content", "message"), WARNINGS, ids=[c[0] for c in WARNINGS])
def test_what_a_trainer_cannot_fix_is_imported_with_its_message(
    trainer_client, django_capture_on_commit_callbacks, case, content, message
):
    client, event = trainer_client
    with django_capture_on_commit_callbacks(execute=True):
        with translation.override("en"):
            url = reverse("roster_import_index")
        response = client.post(
            url,
            {
                "event": event.pk,
                "file": _upload("liste.csv", content.encode()),
                "default_outcome": "attended",
            },
        )
    roster_import = RosterImport.objects.get()
    assert roster_import.status == "ready", roster_import.problems
    page = client.get(response["Location"])
    assert _shown(page.content.decode(), message), message
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roster_import_confirm", args=[roster_import.public_id]))
    roster_import.refresh_from_db()
    assert roster_import.status == "confirmed"
    person = Person.objects.get()
    assert person.family_name == "Traoré"
    assert person.birth_date is None and person.birth_year is None
    assert Identifier.objects.count() == 0
    assert Participation.objects.count() == 1
    # The confirmed import still shows what was done to the cell.
    assert _shown(client.get(response["Location"]).content.decode(), message)


def test_a_column_with_no_readable_cell_is_said_on_the_import(
    trainer_client, django_capture_on_commit_callbacks
):
    client, event = trainer_client
    content = "Nom;Prénom;Matricule\n" + "".join(
        f"Traoré;{given};Logistique\n" for given in ("Awa", "Fanta", "Mariam", "Oumou")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _en("roster_import_index"),
            {
                "event": event.pk,
                "file": _upload("liste.csv", content.encode()),
                "default_outcome": "attended",
            },
        )
    roster_import = RosterImport.objects.get()
    assert roster_import.status == "ready"
    text = client.get(response["Location"]).content.decode()
    assert (
        "No cell of the column “Matricule” could be read as “service_number”" in text
        or "No cell of the column “Matricule” could be read as “Service number”" in text
    )
    assert "Change what the columns hold" in text
    assert written() == (0, 0, 0, 0)


def test_a_sentence_in_the_name_column_leaves_that_row_out(
    trainer_client, django_capture_on_commit_callbacks
):
    client, event = trainer_client
    content = (
        "Nom complet;Sexe\nAwa Traoré;F\nAbsent pour cause de maladie, remplacé par son adjoint;M\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _en("roster_import_index"),
            {
                "event": event.pk,
                "file": _upload("liste.csv", content.encode()),
                "default_outcome": "attended",
            },
        )
    roster_import = RosterImport.objects.get()
    assert roster_import.status == "ready"
    assert roster_import.summary["left_out"] == 1
    text = client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert (
        "<td>3</td><td>Nom complet</td><td>“Absent pour cause de maladie, remplacé par son "
        "adjoint” is not a name (a sentence?): the row is left out.</td>"
    ) in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_en("roster_import_confirm", roster_import.public_id))
    assert [str(p) for p in Person.objects.all()] == ["Awa Traoré"]


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_errors_in_french(trainer_client, django_capture_on_commit_callbacks):
    client, event = trainer_client
    with translation.override("fr"):
        url = reverse("roster_import_index")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "event": event.pk,
                "file": _upload("l.csv", (HEADER + "Traoré;Awa;;2091;;\n").encode()),
                "default_outcome": "attended",
            },
        )
    page = client.get(response["Location"])
    assert "L&#x27;année de naissance 2091 est dans le futur\u202f: laissée vide." in (
        page.content.decode()
    )
