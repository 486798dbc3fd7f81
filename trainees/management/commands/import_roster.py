"""Import a roster file into a training event from the command line.

    manage.py import_roster roster.xlsx --event <public id>
    manage.py import_roster roster.csv --programme eod --kind course --title "EOD 1" \
        --start 2026-10-01 --end 2026-10-05 [--place Gao] [--office gao]

Unrecognised columns are mapped with ``--map "Village=ignore"`` (or ``--ignore-unknown``);
``--dry-run`` shows the preview without writing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.dateparse import parse_date

from trainees.imports.columns import FIELDS, IGNORE, recognise
from trainees.imports.models import ImportStatus
from trainees.imports.problems import Problem
from trainees.imports.services import (
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)
from trainees.models import EventKind, Place, Programme, TrainingEvent


class Command(BaseCommand):
    help = (
        "Import a roster (CSV or XLSX) into a training event (created by the confirm when "
        "described with --programme)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--event", help="public id of an existing training event")
        parser.add_argument("--programme", help="programme code, to create the event")
        parser.add_argument("--kind", default=EventKind.COURSE, choices=EventKind.values)
        parser.add_argument("--title")
        parser.add_argument("--start")
        parser.add_argument("--end")
        parser.add_argument("--place", help="place name")
        parser.add_argument("--office", help="field office code")
        parser.add_argument("--outcome", default="attended", help="result when the file has none")
        parser.add_argument("--map", action="append", default=[], help='"Header=field"')
        parser.add_argument("--ignore-unknown", action="store_true")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--language", default="en", choices=["en", "fr"])

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            return self._handle(options)

    def _event(self, options) -> tuple[TrainingEvent | None, dict | None]:
        """The existing event, or the description of the one the confirm will create (so a
        dry run or a file with errors leaves no event behind)."""
        if options["event"]:
            event = TrainingEvent.objects.filter(public_id=options["event"]).first()
            if event is None:
                raise CommandError(f"No training event with public id {options['event']}.")
            return event, None
        if not (options["programme"] and options["start"] and options["title"]):
            raise CommandError("Give --event, or --programme, --title and --start to create one.")
        from lms.accounts.models import FieldOffice

        programme = Programme.objects.filter(code=options["programme"]).first()
        if programme is None:
            raise CommandError(f"No programme with code {options['programme']}.")
        start, end = parse_date(options["start"]), parse_date(options["end"] or options["start"])
        if start is None or end is None:
            raise CommandError("Dates are written YYYY-MM-DD.")
        if end < start:
            raise CommandError("The end date cannot be before the start date.")
        if options["kind"] == EventKind.ONLINE:
            raise CommandError("An online course is not an event: choose another --kind.")
        place = None
        if options["place"]:
            place = Place.objects.filter(name__iexact=options["place"]).first()
            if place is None:
                raise CommandError(f"No place named {options['place']}.")
        office = place.field_office if place is not None else None
        if options["office"]:
            office = FieldOffice.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"No field office with code {options['office']}.")
        return None, {
            "title": options["title"].strip()[:200],
            "programme": programme.pk,
            "kind": options["kind"],
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "place": place.pk if place is not None else None,
            "field_office": office.pk if office is not None else None,
        }

    def _handle(self, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        event, new_event = self._event(options)
        roster_import = roster_import_create(
            event=event,
            new_event=new_event,
            file_name=path.name,
            data=path.read_bytes(),
            user=None,
            default_outcome=options["outcome"],
            enqueue=False,
        )
        roster_import = roster_import_analyse(roster_import=roster_import)
        if roster_import.status == ImportStatus.MAPPING and (
            options["map"] or options["ignore_unknown"]
        ):
            mapping = recognise(roster_import.headers)
            by_header = {h: i for i, h in enumerate(roster_import.headers)}
            for item in options["map"]:
                header, _sep, field = item.rpartition("=")
                if header not in by_header or (field not in FIELDS and field != IGNORE):
                    raise CommandError(
                        f"Bad --map {item!r}: header not in the file or field "
                        f"not one of {', '.join([*FIELDS, IGNORE])}."
                    )
                mapping[by_header[header]] = field
            if options["ignore_unknown"]:
                mapping = {i: f or IGNORE for i, f in mapping.items()}
            roster_import.mapping = {str(i): f for i, f in mapping.items() if f}
            roster_import.save(update_fields=["mapping"])
            roster_import = roster_import_analyse(roster_import=roster_import)
        problems = [Problem.from_dict(p) for p in roster_import.problems]
        for p in problems:
            where = f"row {p.row}, column {p.column}: " if p.row else ""
            self.stderr.write(f"{where}{p.message}")
        if roster_import.status != ImportStatus.READY:
            raise CommandError(
                f"Nothing imported ({roster_import.get_status_display()}): "
                f"{len(problems)} problem(s)."
            )
        s = roster_import.summary
        self.stdout.write(
            f"Preview: {s['rows']} rows, {s['people']} people ({s['new']} new, {s['link']} "
            f"linked, {s['review']} to review, {s['same']} repeated rows)."
        )
        if options["dry_run"]:
            return
        roster_import = roster_import_confirm(roster_import=roster_import, user=None)
        if roster_import.status == ImportStatus.UNCHANGED:
            self.stdout.write("This file was already imported for this event: nothing changed.")
            return
        s = roster_import.summary
        self.stdout.write(
            f"Imported {roster_import.public_id} into event {roster_import.event.public_id}: "
            f"{s['people']} "
            f"people ({s['new']} new, {s['link']} linked, {s['review']} to review), "
            f"{s['participations']} new participations."
        )
