"""Published versus restated: what a frozen report says now, and why it changed.

The live figures are recounted with the report's stored scope. The people behind the
headline at publication are compared with those behind it now; each difference is explained
from the registry's own records: merges (and undone merges) since publication, voided
participations, participations corrected, removed or recorded since.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from trainees.models import Merge, Participation, Person
from trainees.reports.filters import scope_from_json
from trainees.reports.models import PublishedReport
from trainees.reports.selectors import report_build, report_frozen
from trainees.selectors.counting import participations_in_scope

#: At most this many differences are explained one by one (the rest are counted).
EXPLAINED_MAX = 200


@dataclass
class Change:
    person: Person | None
    person_id: int
    direction: str  # "removed" or "added"
    reasons: list[str] = field(default_factory=list)


@dataclass
class Restatement:
    report: PublishedReport
    published: dict
    live: dict
    changes: list[Change]
    removed: int
    added: int

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
            }
            for h in self.published["headlines"]
        ]

    @property
    def table_rows(self) -> list[dict]:
        """Per breakdown: rows by key with published and restated counts."""
        tables = []
        live = {t["by"]: t for t in self.live["tables"]}
        for table in self.published["tables"]:
            now = {r["key"]: r for r in live.get(table["by"], {"rows": []})["rows"]}
            keys = [r["key"] for r in table["rows"]] + [
                k for k in now if k not in {r["key"] for r in table["rows"]}
            ]
            before = {r["key"]: r for r in table["rows"]}
            rows = []
            for key in keys:
                old, new = before.get(key), now.get(key)
                published = old["count"] if old else 0
                restated = new["count"] if new else 0
                label = (old or new)["label"]
                rows.append(
                    {
                        "label": label,
                        "published": published,
                        "restated": restated,
                        "difference": restated - published,
                    }
                )
            tables.append({"by": table["by"], "title": table["title"], "rows": rows})
        return tables


def report_restate(*, report: PublishedReport) -> Restatement:
    """Recount a published report now and explain each person who left or joined it."""
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
    removed = sorted(frozen_people - live_people)
    added = sorted(live_people - frozen_people)
    explained = removed[:EXPLAINED_MAX] + added[: max(0, EXPLAINED_MAX - len(removed))]
    changes = _explain(report, removed, added, explained, frozen_parts, live_parts)
    return Restatement(
        report=report,
        published=report.figures,
        live=live,
        changes=changes,
        removed=len(removed),
        added=len(added),
    )


def _explain(report, removed, added, explained, frozen_parts, live_parts) -> list[Change]:
    since = report.published_at
    ids = set(explained)
    people = Person.objects.in_bulk(ids)
    merges = list(
        Merge.objects.filter(Q(merged_id__in=ids) | Q(survivor_id__in=ids))
        .filter(Q(merged_at__gt=since) | Q(undone_at__gt=since))
        .select_related("survivor", "merged")
    )
    part_ids = set()
    for person in ids:
        part_ids |= frozen_parts.get(person, set()) | live_parts.get(person, set())
    parts = Participation.objects.in_bulk(part_ids)
    changes = []
    removed_set = set(removed)
    for person_id in explained:
        direction = "removed" if person_id in removed_set else "added"
        change = Change(person=people.get(person_id), person_id=person_id, direction=direction)
        for merge in merges:
            live_merge = merge.undone_at is None
            if merge.merged_id == person_id and live_merge and merge.merged_at > since:
                change.reasons.append(
                    _("Merged into %(survivor)s on %(date)s: counted once, as them.")
                    % {"survivor": merge.survivor, "date": f"{merge.merged_at:%Y-%m-%d}"}
                )
            elif merge.merged_id == person_id and merge.undone_at and merge.undone_at > since:
                change.reasons.append(
                    _("Merge into %(survivor)s undone on %(date)s: counted separately again.")
                    % {"survivor": merge.survivor, "date": f"{merge.undone_at:%Y-%m-%d}"}
                )
            elif merge.survivor_id == person_id and live_merge and merge.merged_at > since:
                change.reasons.append(
                    _("%(merged)s was merged into this person on %(date)s.")
                    % {"merged": merge.merged, "date": f"{merge.merged_at:%Y-%m-%d}"}
                )
        if direction == "removed":
            for pk in sorted(frozen_parts.get(person_id, ())):
                part = parts.get(pk)
                if part is None:
                    change.reasons.append(
                        _("Participation %(pk)s was removed (combined in a merge or deleted).")
                        % {"pk": pk}
                    )
                elif part.voided:
                    change.reasons.append(
                        _("Participation of %(date)s voided: %(reason)s")
                        % {"date": f"{part.date:%Y-%m-%d}", "reason": part.void_reason or "—"}
                    )
                elif part.updated_at > since:
                    change.reasons.append(
                        _("Participation of %(date)s corrected: now %(outcome)s.")
                        % {"date": f"{part.date:%Y-%m-%d}", "outcome": part.get_outcome_display()}
                    )
        else:
            for pk in sorted(live_parts.get(person_id, ())):
                part = parts.get(pk)
                if part is None or pk in frozen_parts.get(person_id, ()):
                    continue
                if part.created_at > since:
                    change.reasons.append(
                        _("Participation of %(date)s recorded after publication.")
                        % {"date": f"{part.date:%Y-%m-%d}"}
                    )
                elif part.updated_at > since:
                    change.reasons.append(
                        _("Participation of %(date)s corrected: now %(outcome)s.")
                        % {"date": f"{part.date:%Y-%m-%d}", "outcome": part.get_outcome_display()}
                    )
        if not change.reasons and direction == "removed":
            change.reasons.append(_("No longer in the scope of the report."))
        elif not change.reasons:
            change.reasons.append(_("Now in the scope of the report."))
        changes.append(change)
    return changes
