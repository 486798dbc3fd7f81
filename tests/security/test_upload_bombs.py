"""Roster uploads are checked for what they unpack to before any parser opens them: a bomb is
refused within 1 s and 100 MB of memory, with a message that names the limit."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.trainees.factories import PlaceFactory, TrainingEventFactory
from trainees.imports.limits import MAX_COLUMNS, MAX_INFLATED_BYTES, MAX_RATIO
from trainees.imports.models import RosterImport
from trainees.imports.parsing import FileProblem, read_table

from .bombs import dimension_claim, ratio_bomb, roster_xlsx, shared_strings_bomb


@pytest.fixture(scope="module")
def bomb():
    """Shared strings that inflate to twice the limit (bench/upload_bombs.py: 400 MB)."""
    return shared_strings_bomb(2 * MAX_INFLATED_BYTES // (1024 * 1024))


def _refusal(data: bytes, name: str):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FileProblem) as caught:
            read_table(data, name)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value.problem, elapsed, peak


def test_a_shared_strings_bomb_is_refused_fast_and_small(bomb):
    assert len(bomb) < 1024 * 1024  # far under the 10 MB upload limit
    problem, elapsed, peak = _refusal(bomb, "liste.xlsx")
    assert problem.code == "file_inflates_too_much"
    assert problem.message.startswith("Une fois décompressé, le fichier dépasserait 32\u00a0Mo")
    assert elapsed < 1
    assert peak < 100 * 1024 * 1024


def test_a_member_compressed_past_the_ratio_is_refused():
    data = ratio_bomb()
    problem, elapsed, peak = _refusal(data, "liste.xlsx")
    assert problem.code == "file_compression_ratio"
    assert f"{MAX_RATIO} pour 1" in problem.message
    assert elapsed < 1 and peak < 100 * 1024 * 1024


def test_a_bomb_named_as_csv_is_still_opened_as_an_archive(bomb):
    problem, _elapsed, _peak = _refusal(bomb, "liste.csv")
    assert problem.code == "file_inflates_too_much"


def test_a_claimed_width_of_16384_columns_is_not_trusted():
    started = time.monotonic()
    table = read_table(dimension_claim("A1:XFD20000"), "liste.xlsx")
    assert time.monotonic() - started < 1
    assert table.headers == ["Nom", "Prénom"]
    assert table.rows == [(2, ["Traoré", "Awa"])]


def test_values_beyond_the_column_cap_are_refused():
    row = ["Traoré", "Awa"] + [""] * (MAX_COLUMNS - 2) + ["beyond"]
    problem, _elapsed, _peak = _refusal(roster_xlsx([["Nom", "Prénom"], row]), "liste.xlsx")
    assert problem.code == "file_too_many_columns"
    assert str(MAX_COLUMNS) in problem.message
    csv_row = ";".join(["x"] * (MAX_COLUMNS + 1))
    problem, _elapsed, _peak = _refusal(f"Nom;Prénom\n{csv_row}\n".encode(), "liste.csv")
    assert problem.code == "file_too_many_columns"


def test_empty_cells_beyond_the_cap_are_dropped_not_refused():
    row = ["Traoré", "Awa"] + [""] * (MAX_COLUMNS + 50)
    table = read_table(("Nom;Prénom\n" + ";".join(row) + "\n").encode(), "liste.csv")
    [(number, cells)] = table.rows
    assert (number, cells[:2]) == (2, ["Traoré", "Awa"])
    assert len(cells) == MAX_COLUMNS


def test_a_csv_line_of_ten_megabytes_is_refused_before_it_is_split():
    data = b"Nom;Pr\xc3\xa9nom\n" + b";" * (10 * 1024 * 1024 - 20) + b"\n"
    problem, elapsed, peak = _refusal(data, "liste.csv")
    assert problem.code == "file_line_too_long"
    assert problem.params["row"] == 2
    assert elapsed < 1 and peak < 100 * 1024 * 1024


@pytest.mark.django_db
def test_the_upload_form_refuses_a_bomb_at_once_and_stores_nothing(client, bomb):
    office = FieldOfficeFactory(code="gao", name="Gao")
    user = UserFactory(role="trainer")
    user.field_offices.add(office)
    totp_enable(user)
    client.force_login(user)
    event = TrainingEventFactory(place=PlaceFactory(field_office=office))
    with translation.override("en"):
        url = reverse("roster_import_index")
    started = time.monotonic()
    response = client.post(
        url,
        {
            "event": event.pk,
            "file": SimpleUploadedFile("liste.xlsx", bomb),
            "default_outcome": "attended",
        },
    )
    assert time.monotonic() - started < 1
    assert response.status_code == 200
    assert "Once unpacked, the file would be larger than 32 MB" in response.content.decode()
    assert not RosterImport.objects.exists()
