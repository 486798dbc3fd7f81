"""Published versus restated: what a frozen report says now, and why it changed.

The live figures are recounted with the report's stored scope. For every frozen figure of
people (the headlines "trained" and "briefed", every breakdown row, new people per year) the
people behind it at publication are kept with the report (``PublishedReport.row_people``);
where a restated number differs, the people who left or joined it are compared and each is
explained from the registry's own records: merges (and undone merges) since publication,
voided participations, participations corrected, removed or recorded since (learning done
offline on a phone and synced after publication is named as such: "recorded later (offline
sync)"), a person's record corrected. Only the rows that differ are recounted person by
person (one drill-down query each), so the page stays fast however large the report.

Reports published before the per-row people were kept explain their headline only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.formats import date_text
from trainees.models import AGE_BAND_SCHEMES, Merge, OnlineOutcome, Participation, Person
from trainees.models.choices import AGE_UNKNOWN
from trainees.reports.filters import scope_from_json
from trainees.reports.models import PublishedReport
from trainees.reports.ranges import range_note, range_of
from trainees.reports.selectors import Report, certificates_changed, report_build, report_frozen
from trainees.selectors.counting import (
    CountScope,
    participations_changed,
    participations_in_row,
    participations_in_scope,
)

#: At most this many differences are explained one by one (the rest are counted).
EXPLAINED_MAX = 200

#: Breakdown keys that are integers (ids, years) and UUIDs, to recount a frozen row.
_INT_KEYS = frozenset({"programme", "organisation", "field_office", "place", "year", "new_year"})


@dataclass
class Change:
    person: Person | None
    person_id: int
    direction: str  # "removed" or "added"
    reasons: list[str] = field(default_factory=list)


@dataclass
class RowChange:
    """One frozen figure or breakdown row whose restated number differs, and why."""

    table: str  # "headline" or the breakdown's ``by``
    title: str
    key: str | None
    label: str
    published: int
    restated: int
    changes: list[Change]
    removed: int
    added: int
    explained: bool  # False: the report kept no people for this row (published earlier)
    #: For figures of rows, not people (participations, certificates): what moved them.
    causes: list[str] = field(default_factory=list)

    @property
    def difference(self) -> int:
        return self.restated - self.published


@dataclass
class Restatement:
    report: PublishedReport
    published: dict
    live: dict
    changes: list[Change]
    removed: int
    added: int
    row_changes: list[RowChange] = field(default_factory=list)
    names: bool = True

    @property
    def headline_rows(self) -> list[dict]:
        live = {h["code"]: h for h in self.live["headlines"]}
        return [
            {
                "code": h["code"],
                "label": h["label"],
                "published": h["value"],
                "restated": live[h["code"]]["value"],
                "difference": live[h["code"]]["value"] - h["value"],
                # The ranges while pairs awaited review, then and now (frozen with the
                # report since issue 11; absent from reports published before).
                "published_range": range_note(range_of(h)),
                "restated_range": range_note(range_of(live[h["code"]])),
            }
            for h in self.published["headlines"]
        ]

    @property
    def table_rows(self) -> list[dict]:
        """Per breakdown: rows by key with published and restated counts."""
        tables = []
        for published, live in _table_pairs(self.published, self.live):
            rows = []
            for key, label, before, now in _row_pairs(published, live):
                rows.append(
                    {
                        "key": key,
                        "label": label,
                        "published": before,
                        "restated": now,
                        "difference": now - before,
                    }
                )
            tables.append({"by": published["by"], "title": published["title"], "rows": rows})
        return tables


def _table_pairs(published: dict, live: dict):
    """(published table, live table) of every frozen breakdown of people."""
    now = {t["by"]: t for t in live["tables"]}
    for table in published["tables"]:
        yield table, now.get(table["by"], {"rows": []})
    if published.get("new_people"):
        yield published["new_people"], live.get("new_people") or {"rows": []}


def _row_pairs(published: dict, live: dict):
    """(key, label, published count, restated count) of every row of either table."""
    before = {r["key"]: r for r in published["rows"]}
    now = {r["key"]: r for r in live["rows"]}
    keys = list(before) + [k for k in now if k not in before]
    for key in keys:
        old, new = before.get(key), now.get(key)
        yield key, (old or new)["label"], old["count"] if old else 0, new["count"] if new else 0


# -- Frozen at publication -------------------------------------------------------------------


def _age_band(scheme: str, birth_date, birth_year, on: date) -> str:
    """The band of the age at ``on``: the counting selector's rule (full years from the date
    of birth, else the year difference), computed here on one person's plain values."""
    if birth_date is not None:
        age = on.year - birth_date.year - ((birth_date.month, birth_date.day) > (on.month, on.day))
    elif birth_year is not None:
        age = on.year - birth_year
    else:
        return AGE_UNKNOWN
    for band in AGE_BAND_SCHEMES[scheme]:
        if band.upper is None or age < band.upper:
            return band.code
    return AGE_UNKNOWN


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def _row_keys(scope: CountScope, row: tuple) -> dict[str, str | None]:
    """The key of one qualifying participation in each breakdown, as frozen (strings)."""
    (_pk, _person, programme, course, kind, outcome, sex, birth_date, birth_year, category,
     reporting, organisation, field_office, place, on) = row  # fmt: skip
    return {
        "programme": _text(programme),
        "course": _text(course),
        "kind": _text(kind),
        "outcome": _text(outcome),
        "sex": _text(sex),
        "age_band": _age_band(scope.age_scheme, birth_date, birth_year, on),
        "organisation_category": _text(category),
        "reporting_category": _text(reporting),
        "organisation": _text(organisation),
        "field_office": _text(field_office),
        "place": _text(place),
        "year": str(on.year),
        "month": f"{on.year:04d}-{on.month:02d}",
    }


def _row_key(by: str, raw: str | None):
    """A frozen (string) key as the drill-down takes it."""
    if raw is None:
        return None
    if by in _INT_KEYS:
        return int(raw)
    if by == "course":
        return uuid.UUID(raw)
    return raw


def _people_of_row(scope: CountScope, by: str, key: str | None) -> set[int]:
    """The people behind one row now: the drill-down's own query, so exactly its count."""
    return set(
        participations_in_row(scope=scope, by=by, key=_row_key(by, key))
        .order_by()
        .values_list("counted_person_id", flat=True)
        .distinct()
    )


_COLUMNS = (
    "pk", "counted_person_id", "programme_id", "course_public_id", "kind", "outcome",
    "person__sex", "person__birth_date", "person__birth_year", "organisation__category",
    "organisation__reporting_category", "organisation_id", "field_office_id", "place_id",
    "date",
)  # fmt: skip


def _rows_people(scope: CountScope, tables: list[dict]) -> dict[str, dict[str, set[int]]]:
    """``{by: {key: people}}`` of the breakdowns ``tables`` (frozen JSON: ``by``, ``rows``
    with ``key`` and ``count``) of ``scope``, now.

    One scan of the qualifying participations gives every breakdown's rows (the new people
    per year: one grouped query). A breakdown whose rows do not match the given counts
    exactly (a rule of the counting selector this code does not mirror) is taken row by row
    from the drill-down instead, so the people always equal the numbers.
    """
    wanted = {t["by"]: {} for t in tables if t["by"] != "new_year"}
    found: dict[str, dict[str, set[int]]] = {by: {} for by in wanted}
    if wanted:
        for row in (
            participations_in_scope(scope=scope)
            .order_by()
            .values_list(*_COLUMNS)
            .iterator(chunk_size=5000)
        ):
            keys = _row_keys(scope, row)
            for by, rows in found.items():
                rows.setdefault(keys.get(by) or "", set()).add(row[1])
    if any(t["by"] == "new_year" for t in tables):
        firsts = (
            participations_in_scope(scope=scope.replace(date_from=None))
            .order_by()
            .values("counted_person_id")
            .annotate(first=Min("date"))
            .values_list("counted_person_id", "first")
        )
        years: dict[str, set[int]] = {}
        for person, first in firsts.iterator(chunk_size=5000):
            if scope.date_from and first < scope.date_from:
                continue
            if scope.date_to and first > scope.date_to:
                continue
            years.setdefault(str(first.year), set()).add(person)
        found["new_year"] = years
    for table in tables:
        counts = {"" if r["key"] is None else str(r["key"]): r["count"] for r in table["rows"]}
        mine = found[table["by"]]
        if {k: len(v) for k, v in mine.items()} != counts:
            found[table["by"]] = {
                key: _people_of_row(scope, table["by"], key or None) for key in counts
            }
    return found


def report_row_people(*, scope: CountScope, report: Report) -> dict:
    """The people behind every frozen figure of ``report`` (built with ``scope``, figure
    "trained"), stored with it at publication: ``{"headlines": {"briefed": [ids]},
    "tables": {by: {key: [ids]}}, "new_people": {key: [ids]}}`` (keys as frozen; ``""`` for
    "not recorded"). Three queries whatever the number of rows (see :func:`_rows_people`).
    """
    trained = scope.replace(outcomes=("trained",))
    frozen = report_frozen(report=report)
    tables = frozen["tables"] + ([frozen["new_people"]] if frozen["new_people"] else [])
    found = _rows_people(trained, tables)
    new_people = found.pop("new_year", {})
    briefed = set(
        participations_in_scope(scope=scope.replace(outcomes=("briefed",)))
        .order_by()
        .values_list("counted_person_id", flat=True)
        .distinct()
    )
    return {
        "headlines": {"briefed": sorted(briefed)},
        "tables": {by: {k: sorted(v) for k, v in rows.items()} for by, rows in found.items()},
        "new_people": {k: sorted(v) for k, v in new_people.items()},
    }


# -- Restated now ----------------------------------------------------------------------------


def report_restate(*, report: PublishedReport, names: bool = True) -> Restatement:
    """Recount a published report now and explain each person who left or joined each of its
    figures. ``names=False`` (a role that may not see personal data): the same counts and
    reasons, with no person named."""
    scope_data = {k: v for k, v in report.scope.items() if k != "filters"}
    scope = scope_from_json(scope_data)
    live = report_frozen(report=report_build(scope=scope, figure="trained"))
    live_pairs = list(participations_in_scope(scope=scope).values_list("pk", "counted_person_id"))
    live_people = {person for _pk, person in live_pairs}
    frozen_people = set(report.person_ids)
    frozen_parts: dict[int, set[int]] = {}
    for pk, person in report.participation_ids:
        frozen_parts.setdefault(person, set()).add(pk)
    live_parts: dict[int, set[int]] = {}
    for pk, person in live_pairs:
        live_parts.setdefault(person, set()).add(pk)

    # Who left or joined each figure that differs (frozen people vs the people now).
    diffs: list[tuple[dict, set[int], set[int]]] = []
    removed = sorted(frozen_people - live_people)
    added = sorted(live_people - frozen_people)
    stored = report.row_people or {}
    published_headlines = {h["code"]: h for h in report.figures["headlines"]}
    live_headlines = {h["code"]: h for h in live["headlines"]}
    for code in ("trained", "briefed"):
        if code not in published_headlines:
            continue
        before, now = published_headlines[code]["value"], live_headlines[code]["value"]
        if before == now:
            continue
        row = {"table": "headline", "title": _("Headline figures"), "key": code,
               "label": published_headlines[code]["label"], "published": before,
               "restated": now}  # fmt: skip
        if code == "trained":
            diffs.append((row, set(removed), set(added)))
        elif "briefed" in stored.get("headlines", {}):
            then = set(stored["headlines"]["briefed"])
            people = set(
                participations_in_scope(scope=scope.replace(outcomes=("briefed",)))
                .order_by()
                .values_list("counted_person_id", flat=True)
                .distinct()
            )
            diffs.append((row, then - people, people - then))
        else:
            diffs.append((row, None, None))
    pairs = list(_table_pairs(report.figures, live))
    changed = [
        (published, now)
        for published, now in pairs
        if any(before != after for _k, _l, before, after in _row_pairs(published, now))
    ]
    # The people of the rows now: one scan for every breakdown that changed.
    kept = set(stored.get("tables", {})) | ({"new_year"} if stored else set())
    live_rows = _rows_people(
        scope, [now | {"by": p["by"]} for p, now in changed if p["by"] in kept]
    )
    for published, now in changed:
        by = published["by"]
        frozen_rows = (
            stored.get("new_people") if by == "new_year" else stored.get("tables", {}).get(by)
        )
        for key, label, before, after in _row_pairs(published, now):
            if before == after:
                continue
            row = {"table": by, "title": published["title"], "key": key, "label": label,
                   "published": before, "restated": after}  # fmt: skip
            if frozen_rows is None:
                diffs.append((row, None, None))
                continue
            then = set(frozen_rows.get("" if key is None else key, ()))
            people = live_rows[by].get("" if key is None else key, set())
            diffs.append((row, then - people, people - then))

    # Explain each person once, whatever the number of figures they changed.
    wanted: list[int] = []
    for person_id in [*removed, *added]:
        wanted.append(person_id)
    for _row, gone, came in diffs:
        if gone is not None:
            wanted += sorted(gone) + sorted(came)
    explained = list(dict.fromkeys(wanted))[:EXPLAINED_MAX]
    reasons = _explain(report, explained, frozen_parts, live_parts, names=names)
    people = Person.objects.in_bulk(explained) if names else {}

    def changes_of(gone: set[int], came: set[int]) -> list[Change]:
        found = []
        for direction, ids in (("removed", gone), ("added", came)):
            for person_id in sorted(ids):
                if person_id not in reasons:
                    continue
                fallback = (
                    _("No longer in the scope of the report.")
                    if direction == "removed"
                    else _("Now in the scope of the report.")
                )
                found.append(
                    Change(
                        person=people.get(person_id),
                        person_id=person_id,
                        direction=direction,
                        reasons=reasons[person_id] or [fallback],
                    )
                )
        return found

    row_changes = [
        RowChange(
            **row,
            changes=[] if gone is None else changes_of(gone, came),
            removed=0 if gone is None else len(gone),
            added=0 if came is None else len(came),
            explained=gone is not None,
        )
        for row, gone, came in diffs
    ]
    for code in ("participations", "certificates"):
        if code not in published_headlines:
            continue
        before, now = published_headlines[code]["value"], live_headlines[code]["value"]
        if before != now:
            causes = _row_causes(code, scope, report.published_at, before - now)
            row = {"table": "headline", "title": _("Headline figures"), "key": code,
                   "label": published_headlines[code]["label"], "published": before,
                   "restated": now}  # fmt: skip
            row_changes.append(
                RowChange(**row, changes=[], removed=0, added=0, explained=True, causes=causes)
            )
    return Restatement(
        report=report,
        published=report.figures,
        live=live,
        changes=changes_of(set(removed), set(added)),
        removed=len(removed),
        added=len(added),
        row_changes=row_changes,
        names=names,
    )


def _row_causes(code: str, scope: CountScope, since, fewer: int) -> list[str]:
    """Why a figure of rows (participations, certificates) moved by ``-fewer`` since
    publication: the rows recorded, voided or revoked since, counted, and what remains."""
    causes: list[str] = []
    if code == "participations":
        moved = participations_changed(scope=scope.replace(outcomes=("attended",)), since=since)
        left, came = moved["voided"], moved["recorded"]
        if moved["voided"]:
            causes.append(_("%(n)s voided since publication.") % {"n": moved["voided"]})
        if moved["offline_sync"]:
            causes.append(
                _("%(n)s recorded later (offline sync): learnt on a phone without a connection.")
                % {"n": moved["offline_sync"]}
            )
        if moved["recorded"] - moved["offline_sync"]:
            causes.append(
                _("%(n)s recorded after publication.")
                % {"n": moved["recorded"] - moved["offline_sync"]}
            )
        if moved["corrected"]:
            causes.append(
                _("%(n)s corrected since publication (still in the scope).")
                % {"n": moved["corrected"]}
            )
        rest = _(
            "%(n)s more left the scope than entered it otherwise: combined in a merge, "
            "deleted, or moved out of the scope by a correction."
        )
        rest_in = _("%(n)s entered the scope otherwise: moved into it by a correction.")
    else:
        moved = certificates_changed(scope=scope, since=since)
        left, came = moved["revoked"], moved["issued"]
        if moved["revoked"]:
            causes.append(_("%(n)s revoked since publication.") % {"n": moved["revoked"]})
        if moved["issued"]:
            causes.append(_("%(n)s issued after publication.") % {"n": moved["issued"]})
        rest = _("%(n)s more left the count otherwise: deleted since publication.")
        rest_in = _("%(n)s entered the count otherwise.")
    # published - restated = left - came + (what else left - what else came)
    other = fewer - left + came
    if other > 0:
        causes.append(rest % {"n": other})
    elif other < 0:
        causes.append(rest_in % {"n": -other})
    return causes


def _explain(report, ids, frozen_parts, live_parts, *, names: bool) -> dict[int, list[str]]:
    """Reasons per person (an empty list: nothing in the records explains it)."""
    since = report.published_at
    wanted = set(ids)
    merges = list(
        Merge.objects.filter(Q(merged_id__in=wanted) | Q(survivor_id__in=wanted))
        .filter(Q(merged_at__gt=since) | Q(undone_at__gt=since))
        .select_related("survivor", "merged")
        .order_by("merged_at", "pk")
    )
    part_ids = set()
    for person in wanted:
        part_ids |= frozen_parts.get(person, set()) | live_parts.get(person, set())
    parts = Participation.objects.in_bulk(part_ids)
    # Participations outside the headline's scope (briefings, another outcome) changed since.
    changed_elsewhere: dict[int, list[Participation]] = {}
    for part in (
        Participation.objects.filter(person_id__in=wanted)
        .filter(Q(created_at__gt=since) | Q(updated_at__gt=since))
        .exclude(pk__in=part_ids)
        .order_by("date", "pk")
    ):
        changed_elsewhere.setdefault(part.person_id, []).append(part)
    # A person made after publication (a trainee's first online course) is new, not corrected.
    corrected_people = set(
        Person.objects.filter(
            pk__in=wanted, updated_at__gt=since, created_at__lte=since
        ).values_list("pk", flat=True)
    )
    # Participations whose learning was done offline and synced later say so.
    statements = {p.statement_id for p in parts.values() if p.statement_id}
    for elsewhere in changed_elsewhere.values():
        statements |= {p.statement_id for p in elsewhere if p.statement_id}
    synced = (
        set(
            OnlineOutcome.objects.filter(
                statement_id__in=statements, offline_sync=True
            ).values_list("statement_id", flat=True)
        )
        if statements
        else set()
    )

    def who(person) -> str:
        return str(person) if names else _("another person")

    found: dict[int, list[str]] = {}
    for person_id in ids:
        reasons: list[str] = []
        for merge in merges:
            live_merge = merge.undone_at is None
            if merge.merged_id == person_id and live_merge and merge.merged_at > since:
                reasons.append(
                    _("Merged into %(survivor)s on %(date)s: counted once, as them.")
                    % {
                        "survivor": who(merge.survivor),
                        "date": date_text(timezone.localdate(merge.merged_at)),
                    }
                )
            elif merge.merged_id == person_id and merge.undone_at and merge.undone_at > since:
                reasons.append(
                    _("Merge into %(survivor)s undone on %(date)s: counted separately again.")
                    % {
                        "survivor": who(merge.survivor),
                        "date": date_text(timezone.localdate(merge.undone_at)),
                    }
                )
            elif merge.survivor_id == person_id and live_merge and merge.merged_at > since:
                reasons.append(
                    _("%(merged)s was merged into this person on %(date)s.")
                    % {
                        "merged": who(merge.merged),
                        "date": date_text(timezone.localdate(merge.merged_at)),
                    }
                )
            elif merge.survivor_id == person_id and merge.undone_at and merge.undone_at > since:
                reasons.append(
                    _("The merge of %(merged)s into this person was undone on %(date)s.")
                    % {
                        "merged": who(merge.merged),
                        "date": date_text(timezone.localdate(merge.undone_at)),
                    }
                )
        frozen = frozen_parts.get(person_id, set())
        for pk in sorted(frozen | live_parts.get(person_id, set())):
            part = parts.get(pk)
            if part is None:
                reasons.append(
                    _("Participation %(pk)s was removed (combined in a merge or deleted).")
                    % {"pk": pk}
                )
            else:
                reasons += _participation_reasons(
                    part, since, recorded=pk not in frozen, synced=part.statement_id in synced
                )
        for part in changed_elsewhere.get(person_id, ()):
            reasons += _participation_reasons(
                part, since, recorded=True, synced=part.statement_id in synced
            )
        if person_id in corrected_people:
            reasons.append(
                _("The person's record (sex, date of birth) was corrected since publication.")
            )
        found[person_id] = list(dict.fromkeys(reasons))
    return found


def _participation_reasons(
    part: Participation, since, *, recorded: bool, synced: bool = False
) -> list[str]:
    """``synced``: the participation's outcome was learnt offline on a phone and reached the
    server after publication (its statement says so), a reason of its own: nobody recorded
    it late, the connection did."""
    day = date_text(part.date)
    if part.voided:
        return [
            _("Participation of %(date)s voided: %(reason)s")
            % {"date": day, "reason": part.void_reason or "—"}
        ]
    if recorded and part.created_at > since and synced:
        return [
            _(
                "Participation of %(date)s recorded later (offline sync): learnt on a phone "
                "without a connection and sent after publication."
            )
            % {"date": day}
        ]
    if recorded and part.created_at > since:
        return [_("Participation of %(date)s recorded after publication.") % {"date": day}]
    if part.updated_at > since:
        return [
            _("Participation of %(date)s corrected: now %(outcome)s.")
            % {"date": day, "outcome": part.get_outcome_display()}
        ]
    return []
