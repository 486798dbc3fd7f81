"""Bad input (issue 5): a clear message per row and column or for the file, nothing written,
never a server error. Checked through the trainer's screen, in English and in French."""

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


CASES = [
    (
        "unknown columns",
        "Nom;Prénom;Village;Ethnie\nTraoré;Awa;Gao;x\n",
        "mapping",
        "These columns were not recognised: Village, Ethnie. Say what each one holds, "
        "or ignore it.",
    ),
    (
        "missing required value",
        HEADER + "Traoré;;;;;\n",
        "invalid",
        "Row 2, column Prénom: Given names: a value is required.",
    ),
    (
        "impossible date",
        HEADER + "Traoré;Awa;30/02/1990;;;\n",
        "invalid",
        "Row 2, column Date de naissance: “30/02/1990” is an impossible date "
        "(there is no such day).",
    ),
    (
        "year of birth in the future",
        HEADER + "Traoré;Awa;;2091;;\n",
        "invalid",
        "Row 2, column Année de naissance: The year of birth 2091 is in the future.",
    ),
    (
        "identifier in the wrong format",
        HEADER + "Traoré;Awa;;;12345;\n",
        "invalid",
        "Row 2, column NINA: NINA “12345” is not valid: a NINA has 14 digits followed by "
        "one letter.",
    ),
    (
        "phone in the wrong format",
        HEADER + "Traoré;Awa;;;;12 34\n",
        "invalid",
        "Row 2, column Téléphone: Phone number “12 34” is not valid: a Malian number has 8 "
        "digits after the optional +223.",
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
    assert "L&#x27;année de naissance 2091 est dans le futur." in page.content.decode()
