"""Synthetic rosters with known truth, imported one after the other through the import
services: the automatic links must be right (precision), find most returning people (recall),
and never join two different people. Thresholds and figures are in docs/matching.md."""

from collections import defaultdict

from django.db.models import Q

from tests.trainees.factories import TrainingEventFactory
from tests.trainees.imports.rosters import roster_csv
from trainees.imports.services import (
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)
from trainees.models import Person
from trainees.review.models import ReviewPair
from trainees.synthetic import generate_people, generate_rosters

MIN_PRECISION = 0.99  # automatic links to the right person
MIN_LINK_RECALL = 0.5  # returning people linked automatically (the engine is cautious)
MIN_FOUND_RECALL = 0.9  # returning people linked, or queued for review with the right person


def test_synthetic_rosters_link_with_stated_precision_and_recall(db):
    people = generate_people(400, seed=11)
    rosters = generate_rosters(people, n_rosters=5, rows_per_roster=120, seed=12)
    truth_of_person: dict[int, str] = {}
    truths_linked: dict[int, set[str]] = defaultdict(set)
    seen: set[str] = set()
    links = correct = found = returning = 0
    for n, rows in enumerate(rosters):
        event = TrainingEventFactory(title=f"Session {n}")
        roster_import = roster_import_create(
            event=event,
            file_name=f"roster{n}.csv",
            data=roster_csv(rows),
            user=None,
            enqueue=False,
        )
        roster_import = roster_import_analyse(roster_import=roster_import)
        assert roster_import.status == "ready", roster_import.problems[:3]
        roster_import = roster_import_confirm(roster_import=roster_import, user=None)
        by_number = {r.row_number: r for r in roster_import.rows.all()}
        for i, row in enumerate(rows):
            record, truth = by_number[i + 2], row["truth"]
            action = record.action
            if action == "same":
                action = by_number[record.same_as_row].action
            truth_of_person.setdefault(record.person_id, truth)
            truths_linked[record.person_id].add(truth)
            if truth not in seen:
                continue
            returning += 1
            if action == "link":
                links += 1
                correct += truth_of_person[record.person_id] == truth
                found += truth_of_person[record.person_id] == truth
            elif action == "review":
                others = [
                    pk
                    for pair in ReviewPair.objects.filter(
                        Q(person_a=record.person_id) | Q(person_b=record.person_id)
                    )
                    for pk in (pair.person_a_id, pair.person_b_id)
                    if pk != record.person_id
                ]
                found += any(truth_of_person.get(pk) == truth for pk in others)
        seen |= {row["truth"] for row in rows}
    precision, link_recall, found_recall = correct / links, links / returning, found / returning
    joined = [pk for pk, truths in truths_linked.items() if len(truths) > 1]
    print(
        f"returning={returning} links={links} correct={correct} found={found} "
        f"precision={precision:.3f} link_recall={link_recall:.3f} "
        f"found_recall={found_recall:.3f} people={Person.objects.count()}"
    )
    assert joined == []  # no two different true people were ever linked automatically
    assert precision >= MIN_PRECISION
    assert link_recall >= MIN_LINK_RECALL
    assert found_recall >= MIN_FOUND_RECALL
