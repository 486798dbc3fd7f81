"""A French walk-through of the screens and exports: no English string of the catalogue, no
ISO date inside text, no raw code, and every aria-describedby pointing at an element."""

from __future__ import annotations

import datetime
import html as html_lib
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.courses.builders import course_make, course_translate
from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.i18n.test_catalogue import _entries
from tests.reports.pdf_text import pdf_text
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[^}]*\}")
#: English text the French screens show on purpose (none: the review workflow and its task
#: are named in the reader's language, courses/review_names.py).
ALLOWED: set[str] = set()


def _english_fragments() -> list[str]:
    """Pieces of English msgids (between placeholders) that French never shows: at least two
    words and ten letters, and different from their translation."""
    fragments = set()
    for entry in _entries():
        translations = " ".join(entry["msgstr"])
        for piece in PLACEHOLDER.split(entry["msgid"]):
            piece = piece.strip(" .,:;()—-·\n")
            if (
                len(piece) >= 10
                and " " in piece
                and piece not in translations
                and piece not in ALLOWED
                and not piece.startswith(("http", "/"))
            ):
                fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


FRAGMENTS = _english_fragments()


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"[ \t\r\n]+", " ", html_lib.unescape(page))


def _problems(where: str, text: str) -> list[str]:
    found = [f"{where}: English «{f}»" for f in FRAGMENTS if f in text]
    found += [f"{where}: ISO date {m.group(0)}" for m in ISO_DATE.finditer(text)]
    return found


def _described_ids(where: str, page: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    missing = []
    for value in re.findall(r'aria-describedby="([^"]*)"', page):
        missing += [f"{where}: aria-describedby={i}" for i in value.split() if i not in ids]
    return missing


@pytest.fixture
def french_site(home_page):
    office = FieldOfficeFactory(code="gao", name="Gao")
    event = TrainingEventFactory(
        place=PlaceFactory(field_office=office), start_date=datetime.date(2024, 4, 1)
    )
    army = OrganisationFactory(code="fama", name_fr="FAMa")
    for i in range(4):
        person = PersonFactory(given_names=f"Awa{i}", family_name="Keïta", sex="F")
        ParticipationFactory(person=person, event=event, organisation=army)
    course = course_make()
    course_translate(course, "en")
    coordinator = UserFactory(role="coordinator", preferred_language="fr")
    totp_enable(coordinator)
    return {"course": course, "coordinator": coordinator}


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the French screens, whatever the browser
    client.force_login(user)
    return client


SCREENS = [
    "/fr/",
    "/fr/catalogue/",
    "/fr/learn/",
    "/fr/learn/search/?q=engins",
    "/fr/my-learning/",
    "/fr/reports/",
    "/fr/reports/?date_from=2024-01-01&date_to=2024-12-31&field_office=gao",
    "/fr/reports/people/?by=sex&key=F",
    "/fr/reports/breakdown/trained/sex/",
    "/fr/reports/methodology/",
    "/fr/reports/published/",
    "/fr/registry/people/",
    "/fr/registry/imports/",
    "/admin/",
]


def _screens_problems(client: Client, urls) -> list[str]:
    """English, ISO dates and dangling aria-describedby on each screen (each must answer 200)."""
    problems = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        page = response.content.decode()
        problems += _problems(url, _visible_text(page))
        problems += _described_ids(url, page)
    return problems


def test_french_screens_show_no_english_and_no_iso_date(french_site):
    assert _screens_problems(_client(french_site["coordinator"]), SCREENS) == []


def test_the_drill_down_names_its_row_not_its_code(french_site):
    page = _client(french_site["coordinator"]).get("/fr/reports/people/?by=sex&key=F")
    lead = _visible_text(page.content.decode().split('class="lead"', 1)[1].split("</p>", 1)[0])
    assert "Sexe\u202f: Femme" in lead
    assert "\u202f: F\u202f:" not in lead and ": F:" not in lead


def test_french_exports_show_no_english_and_no_iso_date_in_text(french_site):
    client = _client(french_site["coordinator"])
    problems = []
    csv = client.get("/fr/reports/export/csv/").content.decode("utf-8-sig")
    problems += _problems("csv", csv)
    book = load_workbook(io.BytesIO(client.get("/fr/reports/export/xlsx/").content))
    cells = " | ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    problems += _problems("xlsx", cells + " | " + " | ".join(book.sheetnames))
    pdf = client.get("/fr/reports/export/pdf/").content
    text = pdf_text(pdf)
    problems += _problems("pdf", text)
    assert b"Mine action training" not in pdf
    assert problems == []


def test_the_admin_follows_the_users_language_not_the_browsers(french_site):
    client = _client(french_site["coordinator"])
    page = client.get("/admin/", follow=True).content.decode()
    assert '<html lang="fr"' in page or 'lang="fr"' in page
    assert "Mine action training" not in page


def test_a_published_report_in_french(french_site):
    client = _client(french_site["coordinator"])
    response = client.post(
        "/fr/reports/publish/",
        {"title": "Rapport annuel", "date_from": "2024-01-01", "date_to": "2024-12-31"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    text = _visible_text(page)
    assert "Période\u202f:" in text and "1 janvier 2024" in text
    assert _problems("published", text) == []


def test_platform_admin_screens_in_the_administrators_language(french_site):
    admin = UserFactory(role="administrator", preferred_language="fr")
    totp_enable(admin)
    client = _client(admin)
    problems = []
    for url in ["/admin/", "/admin/reports/tokens/", "/admin/xapi/statements/", "/admin/pages/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'lang="fr"' in page, url
        problems += _problems(url, _visible_text(page))
    assert problems == []


def test_the_certificate_pdf_speaks_the_holders_language(french_site):
    from courses.services.certificates import certificate_pdf
    from tests.courses.test_views import complete

    trainee = UserFactory(role="trainee", preferred_language="fr")
    certificate = complete(french_site["course"], trainee)
    pdf = certificate_pdf(certificate=certificate, course=french_site["course"], language="fr")
    assert b"anonymous" not in pdf and b"Mine action training" not in pdf
    assert b"(Certificat " in pdf or "Certificat".encode("utf-16-be") in pdf


ROSTER = (
    "Nom;Prénom(s);Sexe;Date de naissance;Matricule;Téléphone;Résultat;Note\n"
    "Keïta;Moussa;M;12/07/1985;;;présent;\n"
    "TRAORÉ;Awa;F;25/03/1990;AB1234;76 12 34 56;réussi;85\n"
    "Traore;Awa;F;25/03/1990;AB 1234;;présent;\n"
    "Keïta;Awa0;F;;;;réussi;\n"
    "Diallo;Ibrahim;X;31/02/1990;;;bof;\n"
)


def test_the_import_preview_in_french(french_site):
    from trainees.imports.services import roster_import_analyse, roster_import_create
    from trainees.models import TrainingEvent

    coordinator = french_site["coordinator"]
    roster_import = roster_import_analyse(
        roster_import=roster_import_create(
            event=TrainingEvent.objects.get(),
            file_name="liste.csv",
            data=ROSTER.encode(),
            user=coordinator,
            enqueue=False,
        )
    )
    client = _client(coordinator)
    url = f"/fr/registry/imports/{roster_import.public_id}/"
    page = client.get(url).content.decode()
    text = _visible_text(page)
    # Birth dates in the French short format; a namesake's evidence said in French.
    assert "12/07/1985" in text and "À vérifier" in text
    assert _problems(url, text) + _described_ids(url, page) == []
    report = client.get(f"{url}report.csv").content.decode("utf-8-sig")
    assert _problems("import report", report) == []


def test_month_rows_are_named_in_french(french_site):
    client = _client(french_site["coordinator"])
    fragment = client.get(
        "/fr/reports/breakdown/trained/month/", headers={"X-Requested-With": "fetch"}
    ).content.decode()
    assert "avril 2024" in _visible_text(fragment) and "2024-04</th>" not in fragment


def test_the_trainee_s_course_screens_in_french(french_site):
    """The learner's side: the course page, a module, the course once started, "my
    learning" with the course in it."""
    from courses.models import ModulePage
    from courses.services.enrolment import enrolment_create

    course = french_site["course"]
    trainee = UserFactory(role="trainee", preferred_language="fr")
    client = _client(trainee)
    problems = _screens_problems(client, [course.url])
    enrolment_create(user=trainee, course=course)
    module = ModulePage.objects.child_of(course).live().order_by("path").first()
    urls = [module.url, course.url, "/fr/my-learning/", "/fr/learn/"]
    assert problems + _screens_problems(client, urls) == []
