import io

import pytest
from django.core.management import CommandError, call_command

from tests.trainees.factories import ProgrammeFactory, TrainingEventFactory
from trainees.models import Participation, Person, TrainingEvent

ROSTER = "Nom;Prénom;Sexe;Année de naissance;Ethnie\nTraoré;Awa;F;1990;x\nKeita;Moussa;M;1985;y\n"


@pytest.fixture
def roster_file(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(ROSTER.encode("cp1252"))
    return path


def run(*args):
    out = io.StringIO()
    call_command("import_roster", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_creates_the_event_and_imports(db, roster_file):
    ProgrammeFactory(code="wam")
    out = run(
        roster_file,
        "--programme",
        "wam",
        "--title",
        "WAM Gao",
        "--start",
        "2026-03-02",
        "--end",
        "2026-03-06",
        "--ignore-unknown",
    )
    event = TrainingEvent.objects.get(title="WAM Gao")
    assert "Preview: 2 rows, 2 people (2 new, 0 linked, 0 to review, 0 repeated rows)." in out
    assert f"into event {event.public_id}: 2 people (2 new, 0 linked, 0 to review)" in out
    assert (Person.objects.count(), Participation.objects.filter(event=event).count()) == (2, 2)
    again = run(roster_file, "--event", event.public_id, "--ignore-unknown")
    assert "already imported for this event: nothing changed" in again
    assert Person.objects.count() == 2


def test_unknown_columns_and_errors_stop_the_command(db, roster_file, tmp_path):
    ProgrammeFactory(code="wam")
    args = [roster_file, "--programme", "wam", "--title", "WAM", "--start", "2026-03-02"]
    with pytest.raises(CommandError, match=r"Nothing imported \(Columns to map\): 1 problem"):
        run(*args)
    assert TrainingEvent.objects.count() == 0  # nothing imported: no event either
    bad = tmp_path / "bad.csv"
    bad.write_text("Nom;Prénom;Sexe\n;;F\n", encoding="utf-8")  # the only row has no name
    with pytest.raises(CommandError, match=r"Nothing imported \(Errors to fix\): 1 problem"):
        run(bad, "--event", TrainingEventFactory().public_id)
    assert Person.objects.count() == 0


def test_map_option(db, roster_file):
    ProgrammeFactory(code="wam")
    out = run(
        roster_file,
        "--programme",
        "wam",
        "--title",
        "WAM",
        "--start",
        "2026-03-02",
        "--map",
        "Ethnie=ignore",
        "--dry-run",
    )
    assert "Preview: 2 rows" in out
    assert (Person.objects.count(), TrainingEvent.objects.count()) == (0, 0)  # a dry run
