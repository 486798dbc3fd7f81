"""Confirming runs in a background task the page follows, and a confirm whose worker died is
seen, said and run again, writing everything once; remembered mappings per office; the
synthetic field rosters are all read."""

import html
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.trainees.factories import PlaceFactory, TrainingEventFactory
from trainees.imports import heartbeat
from trainees.imports.models import RosterColumnMapping, RosterImport
from trainees.imports.selectors import roster_import_confirm_stall
from trainees.imports.services import (
    RosterImportError,
    roster_import_analyse,
    roster_import_confirm,
    roster_import_confirm_request,
    roster_import_create,
    roster_import_map,
)
from trainees.imports.tasks import roster_import_confirm_task
from trainees.models import Identifier, MatchDecision, Participation, Person

ROSTER = "Nom;Prénom;Sexe\nTraoré;Awa;F\nKeïta;Moussa;M\n"


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def office(db):
    return FieldOfficeFactory(code="gao", name="Gao")


@pytest.fixture
def trainer(client, office):
    user = UserFactory(role="trainer")
    user.field_offices.add(office)
    totp_enable(user)
    client.force_login(user)
    return user


@pytest.fixture
def gao_event(office):
    return TrainingEventFactory(place=PlaceFactory(field_office=office), field_office=office)


def ready(event, content=ROSTER, name="liste.csv"):
    roster_import = roster_import_create(
        event=event, file_name=name, data=content.encode(), user=None, enqueue=False
    )
    return roster_import_analyse(roster_import=roster_import)


def written():
    return (
        Person.objects.count(),
        Participation.objects.count(),
        Identifier.objects.count(),
        MatchDecision.objects.count(),
    )


def test_the_page_follows_the_confirm_and_nothing_waits_in_the_request(
    client, trainer, gao_event, django_capture_on_commit_callbacks
):
    roster_import = ready(gao_event)
    # The request only queues the task: nothing is written before it runs.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("roster_import_confirm", roster_import.public_id))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == "confirming"
    assert written() == (0, 0, 0, 0)
    page = client.get(response["Location"]).content.decode()
    assert "Writing the import" in page
    assert '<progress id="import-progress" max="100" value="0">' in page
    assert 'src="/static/trainees/import_progress.js"' in page  # a static file, no inline JS
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    status = client.get(url("roster_import_status", roster_import.public_id)).json()
    assert (status["status"], status["label"], status["finished"]) == (
        "confirming",
        "Being imported",
        False,
    )
    # A second click while it runs is refused, and says so.
    again = client.post(url("roster_import_confirm", roster_import.public_id), follow=True)
    assert "This import is already being written: follow it here." in again.content.decode()
    assert len(callbacks) == 1
    callbacks[0]()  # the worker runs the task
    status = client.get(url("roster_import_status", roster_import.public_id)).json()
    assert (status["status"], status["percent"], status["finished"]) == ("confirmed", 100, True)
    assert written() == (2, 2, 0, 2)
    done = client.get(response["Location"]).content.decode()
    assert "2 rows, 2 people: 2 new, 0 linked, 0 to review." in done


def test_a_failed_confirm_writes_nothing_and_says_so(gao_event, monkeypatch):
    from trainees.imports import services

    roster_import = ready(gao_event)
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_participations_write", broken)
    with pytest.raises(RuntimeError):
        roster_import_confirm_task.call(import_id=roster_import.pk, user_id=None)
    roster_import.refresh_from_db()
    assert roster_import.status == "ready"
    assert roster_import.problems[0]["code"] == "confirm_failed"
    assert written() == (0, 0, 0, 0)  # people were created in the rolled-back transaction
    with translation.override("en"):
        from trainees.imports.problems import Problem

        assert Problem.from_dict(roster_import.problems[0]).message.startswith(
            "The import could not be written and nothing was written."
        )
    monkeypatch.undo()
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)
    assert roster_import_confirm_task.call(import_id=roster_import.pk, user_id=None) == "confirmed"
    assert written() == (2, 2, 0, 2)


def test_a_file_reuploaded_while_its_confirm_runs(gao_event):
    first = ready(gao_event)
    roster_import_confirm_request(roster_import=first, user=None, enqueue=False)
    second = ready(gao_event)  # the same file again, while the first is being written
    assert second.status == "ready"
    assert second.summary["confirm_running"] is True
    assert second.problems[0]["code"] == "confirm_running"
    roster_import_confirm_request(roster_import=second, user=None, enqueue=False)
    # The first finishes; the second, run after it, finds the file imported and adds nothing.
    assert roster_import_confirm_task.call(import_id=first.pk, user_id=None) == "confirmed"
    assert roster_import_confirm_task.call(import_id=second.pk, user_id=None) == "unchanged"
    assert written() == (2, 2, 0, 2)
    with pytest.raises(RosterImportError):
        roster_import_confirm_request(roster_import=second, user=None, enqueue=False)


def aside(sql, *params):
    """One row read from another connection, as the page's status request would."""
    from django.db import connection

    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchone()
    finally:
        other.close()


def killed(roster_import, *, seconds_ago):
    """What a worker killed in the middle leaves: the import being imported, its last beat
    ``seconds_ago``, nothing written (the transaction died with the process)."""
    RosterImport.objects.filter(pk=roster_import.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago), progress_done=45
    )
    roster_import.refresh_from_db()
    return roster_import


def test_a_confirm_whose_worker_died_is_said_and_confirmed_again_once(
    client, trainer, gao_event, django_capture_on_commit_callbacks
):
    roster_import = ready(gao_event)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("roster_import_confirm", roster_import.public_id))
    assert len(callbacks) == 1  # queued; the worker is killed before it writes anything
    roster_import.refresh_from_db()
    first_attempt = str(roster_import.confirm_attempt)
    # Beating recently: still running, a second click is refused.
    assert roster_import_confirm_stall(roster_import=roster_import) is None
    again = client.post(url("roster_import_confirm", roster_import.public_id), follow=True)
    assert "This import is already being written: follow it here." in again.content.decode()
    # Silent for longer than the bound: stalled, and the page says so.
    roster_import = killed(roster_import, seconds_ago=heartbeat.stale_after() + 1)
    assert roster_import_confirm_stall(roster_import=roster_import) == "no_heartbeat"
    status = client.get(url("roster_import_status", roster_import.public_id)).json()
    assert (status["status"], status["stalled"], status["finished"], status["label"]) == (
        "confirming",
        True,
        True,
        "Stopped: nothing was written",
    )
    with translation.override("en"):
        page = client.get(url("roster_import_detail", roster_import.public_id)).content.decode()
    minutes = round(heartbeat.stale_after() / 60)
    assert (
        "The import stopped before it was written: the background worker has not been heard "
        f"from for more than {minutes} minutes (it was stopped or restarted). Nothing was "
        "written. Confirm it again; if it stops again, tell an administrator."
    ) in page
    assert "Confirm the import again" in page
    with translation.override("fr"):
        french = html.unescape(
            client.get(
                reverse("roster_import_detail", args=[roster_import.public_id])
            ).content.decode()
        )
    assert "L'import s'est arrêté avant d'être écrit" in french
    assert "Confirmer l'import de nouveau" in french
    assert 'http-equiv="refresh"' not in page  # no endless refresh of a dead import
    assert written() == (0, 0, 0, 0)
    # Confirmed again: everything written, once.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("roster_import_confirm", roster_import.public_id))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == "confirmed"
    assert written() == (2, 2, 0, 2)
    # The dead worker's task, were it ever run, writes nothing.
    assert (
        roster_import_confirm_task.call(
            import_id=roster_import.pk, user_id=None, attempt=first_attempt
        )
        == "superseded"
    )
    assert written() == (2, 2, 0, 2)


def test_a_task_row_that_failed_or_ended_stalls_the_import_at_once(gao_event):
    roster_import = ready(gao_event)
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)
    task = DBTaskResult.objects.create(
        args_kwargs={},
        task_path="trainees.imports.tasks.roster_import_confirm_task",
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(confirm_task_id=str(task.pk))
    roster_import.refresh_from_db()
    assert roster_import_confirm_stall(roster_import=roster_import) is None  # beating
    for status in ("FAILED", "SUCCESSFUL"):
        DBTaskResult.objects.filter(pk=task.pk).update(status=status)
        assert roster_import_confirm_stall(roster_import=roster_import) == "task_ended"
    # Waiting in the queue for a worker is not stalled, however long: another confirm would
    # only wait behind it.
    DBTaskResult.objects.filter(pk=task.pk).update(status="READY")
    roster_import = killed(roster_import, seconds_ago=10 * heartbeat.stale_after())
    assert roster_import_confirm_stall(roster_import=roster_import) is None
    with pytest.raises(RosterImportError):
        roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)


def test_an_import_stuck_from_before_the_heartbeat_can_be_confirmed_again(gao_event):
    roster_import = ready(gao_event)
    RosterImport.objects.filter(pk=roster_import.pk).update(status="confirming")
    roster_import.refresh_from_db()  # no attempt, no task id, no beat: the old stuck state
    assert roster_import_confirm_stall(roster_import=roster_import) == "no_heartbeat"
    roster_import = roster_import_confirm_request(
        roster_import=roster_import, user=None, enqueue=False
    )
    attempt = str(roster_import.confirm_attempt)
    assert (
        roster_import_confirm_task.call(import_id=roster_import.pk, user_id=None, attempt=attempt)
        == "confirmed"
    )
    assert written() == (2, 2, 0, 2)


def test_a_file_reuploaded_while_its_stalled_confirm_waits_is_the_one_that_writes(gao_event):
    first = ready(gao_event)
    roster_import_confirm_request(roster_import=first, user=None, enqueue=False)
    killed(first, seconds_ago=heartbeat.stale_after() + 1)
    second = ready(gao_event)
    assert second.summary["confirm_stalled"] is True
    assert second.problems[0]["code"] == "confirm_stalled_same_file"
    with translation.override("en"):
        from trainees.imports.problems import Problem

        assert Problem.from_dict(second.problems[0]).message == (
            "This file was being imported into this event, but that import stopped before "
            "anything was written: confirming this one imports the file."
        )
    roster_import_confirm_request(roster_import=second, user=None, enqueue=False)
    assert roster_import_confirm_task.call(import_id=second.pk, user_id=None) == "confirmed"
    # The first, confirmed again, finds the file imported: nothing twice.
    first = roster_import_confirm_request(roster_import=first, user=None, enqueue=False)
    assert (
        roster_import_confirm_task.call(
            import_id=first.pk, user_id=None, attempt=str(first.confirm_attempt)
        )
        == "unchanged"
    )
    assert written() == (2, 2, 0, 2)


@pytest.mark.django_db(transaction=True)
def test_a_running_confirm_beats_from_its_own_thread(monkeypatch):
    """PostgreSQL: the worker's thread writes the beat while the write's transaction is
    open, so a long confirm (or one waiting for another's registry lock) never looks dead."""
    from django.db import connection

    from trainees.imports import services

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: the beat is the start, the bound is longer")
    monkeypatch.setattr(heartbeat, "BEAT_SECONDS", 0.05)
    roster_import = ready(TrainingEventFactory())
    roster_import = roster_import_confirm_request(
        roster_import=roster_import, user=None, enqueue=False
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    beats = []
    original = services._residences_fill

    def slow(*args):
        started = timezone.now()
        time.sleep(0.5)
        (beat,) = aside(
            "SELECT heartbeat_at FROM trainees_rosterimport WHERE id = %s", roster_import.pk
        )
        beats.append(beat >= started)
        return original(*args)

    monkeypatch.setattr(services, "_residences_fill", slow)
    before = threading.active_count()
    assert (
        roster_import_confirm_task.call(
            import_id=roster_import.pk, user_id=None, attempt=str(roster_import.confirm_attempt)
        )
        == "confirmed"
    )
    assert beats == [True]
    assert threading.active_count() == before  # the heartbeat thread ended with the confirm


def test_an_attempt_id_that_is_not_the_imports_is_refused_under_the_lock(gao_event):
    roster_import = ready(gao_event)
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)
    with pytest.raises(RosterImportError, match="superseded"):
        roster_import_confirm(roster_import=roster_import, user=None, attempt=str(uuid.uuid4()))
    assert written() == (0, 0, 0, 0)


def test_a_trainers_mapping_is_remembered_for_the_office(office, gao_event, trainer):
    content = "Nom;Prénom;Mat. Gie;Ethnie\nTraoré;Awa;G12345;x\n"
    first = ready(gao_event, content)
    assert first.status == "mapping"
    roster_import_map(
        roster_import=first,
        mapping={0: "family_name", 1: "given_names", 2: "service_number", 3: "ignore"},
        user=trainer,
        enqueue=False,
    )
    assert sorted(RosterColumnMapping.objects.values_list("header_key", "field")) == [
        ("ethnie", "ignore"),
        ("mat gie", "service_number"),
    ]  # what the table knew by itself is not stored
    # The next roster from Gao maps itself, in another spelling of the same headers.
    later = ready(
        TrainingEventFactory(place=PlaceFactory(field_office=office), field_office=office),
        "NOM;PRENOM;MAT. GIE;ETHNIE\nKeïta;Moussa;G777;y\n",
    )
    assert later.status == "ready", later.problems
    assert later.summary["auto_mapped"] == [4, 4]
    # Another office does not inherit Gao's habits.
    elsewhere = ready(TrainingEventFactory(), content)
    assert elsewhere.status == "mapping"


def test_a_remembered_mapping_can_make_service_a_service_number_for_one_office(
    office, gao_event, trainer
):
    first = ready(gao_event, "Nom;Prénom;Service\nTraoré;Awa;G12345\n")
    assert first.mapping["2"] == "unit"
    roster_import_map(
        roster_import=first,
        mapping={0: "family_name", 1: "given_names", 2: "service_number"},
        user=trainer,
        enqueue=False,
    )
    first = roster_import_analyse(roster_import=first)
    assert first.rows.get().values["identifiers"] == {"service_number": "G12345"}
    assert ready(gao_event, "Nom;Prénom;Service\nKeïta;Moussa;G9\n").mapping["2"] == (
        "service_number"
    )


def test_the_synthetic_field_rosters_are_all_read_and_map_themselves():
    from trainees.imports.columns import recognise
    from trainees.imports.parsing import read_table
    from trainees.imports.validation import validate_table
    from trainees.synthetic import generate_people
    from trainees.synthetic_files import roster_files

    files = roster_files(generate_people(400, seed=3), 30, 25, seed=3)
    cases = set().union(*(f.cases for f in files))
    assert cases >= {
        "two_digit_year",
        "several_phones",
        "whole_name_column",
        "one_name",
        "unreadable_cell",
        "unit_column",
        "foreign_national_id",
        "placeholder_date",
        "year_only",
    }
    columns = mapped = 0
    for roster in files:
        table = read_table(roster.data, roster.name)
        mapping = recognise(table.headers)
        named = [i for i, h in enumerate(table.headers) if str(h).strip()]
        columns += len(named)
        mapped += sum(1 for i in named if mapping.get(i))
        result = validate_table(table, {i: f or "ignore" for i, f in mapping.items()})
        assert not result.file_errors, roster.name
        assert len(result.rows) == len(roster.truth)
        assert len(result.rows_left_out) < len(result.rows)
    assert mapped / columns >= 0.95


@pytest.mark.django_db(transaction=True)
def test_the_background_confirm_of_a_10000_row_roster():
    """The task writes 10,000 rows in one transaction; the preview and the confirm each stay
    well under a web request's 30 s on a quiet machine (about 12 s together on SQLite)."""
    from tests.trainees.imports.rosters import big_roster

    event = TrainingEventFactory()
    roster_import = roster_import_create(
        event=event, file_name="grand.csv", data=big_roster(10_000), user=None, enqueue=False
    )
    roster_import = roster_import_analyse(roster_import=roster_import)
    assert roster_import.status == "ready" and roster_import.summary["rows"] == 10_000
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)
    started = time.perf_counter()
    assert roster_import_confirm_task.call(import_id=roster_import.pk, user_id=None) == "confirmed"
    elapsed = time.perf_counter() - started
    roster_import = RosterImport.objects.get(pk=roster_import.pk)
    assert (roster_import.progress_done, roster_import.progress_total) == (100, 100)
    assert Participation.objects.filter(event=event).count() == 10_000
    assert Identifier.objects.filter(type="phone").count() == 10_000
    assert elapsed < 120  # generous: two cores shared by many sessions


@pytest.mark.django_db(transaction=True)
def test_the_progress_is_seen_while_the_confirm_transaction_is_open(monkeypatch):
    from django.db import connection

    from trainees.imports import services

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the bar moves at the commit")
    roster_import = ready(TrainingEventFactory())
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)
    seen = []
    original = services._residences_fill

    def watching(*args):
        # What the page's status request would read now, from another connection.
        seen.append(
            aside(
                "SELECT status, progress_done FROM trainees_rosterimport WHERE id = %s",
                roster_import.pk,
            )
        )
        seen.append(aside("SELECT count(*) FROM trainees_person"))
        return original(*args)

    monkeypatch.setattr(services, "_residences_fill", watching)
    assert roster_import_confirm_task.call(import_id=roster_import.pk, user_id=None) == "confirmed"
    assert seen == [("confirming", 45), (0,)]  # progress seen, people not yet visible
