"""Review decisions, merges that can be undone exactly, and the whole-registry duplicate scan.

A merge never deletes a person: the merged person points at the survivor (so statements whose
actor is the merged person's public id still resolve), their identifiers and participations
move to the survivor, and everything changed is written to the merge's snapshot with its
values before. Undo replays the snapshot backwards. Nothing is rewritten in the LRS: counts
change because the registry resolves people differently, not because statements change.
"""

from __future__ import annotations

import json

from django.core import serializers
from django.db import transaction
from django.utils import timezone

from lms.core.services import audit_record
from trainees.imports.services import OUTCOME_RANK, registry_lock
from trainees.matching import Thresholds, duplicate_scan
from trainees.models import Identifier, Participation, Person
from trainees.reports.cache import report_cache_rewarm_schedule

from .models import Merge, MergedProvenance, PairSource, PairStatus, ReviewPair

__all__ = [
    "MergeError",
    "duplicate_scan_run",
    "merge_batch_undo",
    "person_merge",
    "person_unmerge",
    "review_pair_decide",
    "review_pair_propose",
    "review_pairs_accept_above",
    "review_pairs_decide",
]


class MergeError(Exception):
    """A merge or undo that cannot be done; ``code`` says why (the view translates it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def review_pair_propose(
    *, person_a: Person, person_b: Person, score: float, reasons: list, roster_import=None
) -> ReviewPair | None:
    """Queue two people for a coordinator, unless the pair is known already (in particular
    when it was judged "different people": that is never proposed again)."""
    if person_a.pk == person_b.pk:
        return None
    a, b = sorted((person_a.pk, person_b.pk))
    pair, _created = ReviewPair.objects.get_or_create(
        person_a_id=a,
        person_b_id=b,
        defaults={
            "score": score,
            "reasons": reasons,
            "source": PairSource.IMPORT if roster_import else PairSource.SCAN,
            "roster_import": roster_import,
        },
    )
    return pair


def _dump(objects) -> list:
    """Rows as JSON-safe dicts (Django's serialisation), to be restored with their pk."""
    return json.loads(serializers.serialize("json", objects))


def _load(data: list) -> None:
    if data:
        for item in serializers.deserialize("json", json.dumps(data)):
            item.save()


def person_merge(
    *,
    survivor: Person,
    merged: Person,
    user,
    reason: str = "",
    pair: ReviewPair | None = None,
    batch=None,
) -> Merge:
    """Fold ``merged`` into ``survivor``, keeping every participation and identifier.

    When both attended the same event, the survivor's participation is kept (with the
    stronger of the two outcomes) and the other's provenance is kept as
    :class:`MergedProvenance`; the removed row is in the snapshot for undo.
    """
    with transaction.atomic():
        report_cache_rewarm_schedule()  # keeps the dashboards warm
        registry_lock()
        people = {
            p.pk: p
            for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
        }
        survivor, merged = people.get(survivor.pk), people.get(merged.pk)
        if survivor is None or merged is None or survivor.pk == merged.pk:
            raise MergeError("same_person")
        if survivor.merged_into_id or merged.merged_into_id:
            raise MergeError("already_merged")
        snapshot: dict = {
            "identifiers_moved": [],
            "identifiers_removed": [],
            "participations_moved": [],
            "participations_removed": [],
            "participations_changed": [],
            "people_repointed": [],
            "user_moved": False,
        }
        merge = Merge.objects.create(
            survivor=survivor, merged=merged, pair=pair, merged_by=user, reason=reason, batch=batch
        )
        held = set(survivor.identifiers.values_list("type", "value_normalised"))
        for identifier in Identifier.objects.filter(person=merged).order_by("pk"):
            if (identifier.type, identifier.value_normalised) in held:
                snapshot["identifiers_removed"] += _dump([identifier])
                identifier.delete()
            else:
                snapshot["identifiers_moved"].append(identifier.pk)
        Identifier.objects.filter(pk__in=snapshot["identifiers_moved"]).update(person=survivor)

        kept = {p.event_id: p for p in survivor.participations.filter(event__isnull=False)}
        kept_enrol = {
            p.enrolment_public_id: p
            for p in survivor.participations.filter(enrolment_public_id__isnull=False)
        }
        provenance = []
        for part in Participation.objects.filter(person=merged).order_by("pk"):
            twin = (kept.get(part.event_id) if part.event_id else None) or (
                kept_enrol.get(part.enrolment_public_id) if part.enrolment_public_id else None
            )
            if twin is None:
                snapshot["participations_moved"].append(part.pk)
                continue
            snapshot["participations_removed"] += _dump([part])
            if OUTCOME_RANK.get(part.outcome, 0) > OUTCOME_RANK.get(twin.outcome, 0):
                snapshot["participations_changed"] += _dump([twin])
                twin.outcome, twin.score = part.outcome, part.score
                twin.save(update_fields=["outcome", "score", "updated_at"])
            provenance.append(
                MergedProvenance(
                    participation=twin,
                    merge=merge,
                    import_public_id=part.import_public_id,
                    source_file=part.source_file,
                    source_row=part.source_row,
                    statement_id=part.statement_id,
                    outcome=part.outcome,
                    date=part.date,
                )
            )
            part.delete()
        Participation.objects.filter(pk__in=snapshot["participations_moved"]).update(
            person=survivor
        )
        MergedProvenance.objects.bulk_create(provenance)

        chain = list(Person.objects.filter(merged_into=merged).values_list("pk", flat=True))
        snapshot["people_repointed"] = chain
        Person.objects.filter(pk__in=chain).update(merged_into=survivor)
        if merged.user_id and not survivor.user_id:
            snapshot["user_moved"] = merged.user_id
            user_id, merged.user = merged.user_id, None
            merged.save(update_fields=["user"])
            Person.objects.filter(pk=survivor.pk).update(user_id=user_id)
        Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
        merge.snapshot = snapshot
        merge.save(update_fields=["snapshot"])
        if pair is not None:
            ReviewPair.objects.filter(pk=pair.pk).update(
                status=PairStatus.SAME,
                decided_by=user,
                decided_at=timezone.now(),
                decision_reason=reason,
            )
        audit_record(
            user=user,
            action="person.merge",
            target=survivor,
            detail={
                "merge": merge.pk,
                "survivor": str(survivor.public_id),
                "merged": str(merged.public_id),
                "participations_moved": len(snapshot["participations_moved"]),
                "participations_combined": len(provenance),
                "identifiers_moved": len(snapshot["identifiers_moved"]),
            },
            reason=reason,
        )
    return merge


def person_unmerge(*, merge: Merge, user, reason: str = "") -> Merge:
    """Undo a merge exactly, from its snapshot. A later merge of the survivor into someone
    else must be undone first, so the registry never holds a half-undone state."""
    with transaction.atomic():
        report_cache_rewarm_schedule()  # keeps the dashboards warm
        registry_lock()
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise MergeError("already_undone")
        if Merge.objects.filter(merged_id=merge.survivor_id, undone_at__isnull=True).exists():
            raise MergeError("later_merge")
        snap = merge.snapshot
        survivor, merged = merge.survivor, merge.merged
        MergedProvenance.objects.filter(merge=merge).delete()
        Person.objects.filter(pk=merged.pk).update(merged_into=None)
        Person.objects.filter(pk__in=snap["people_repointed"]).update(merged_into=merged)
        if snap["user_moved"]:
            Person.objects.filter(pk=survivor.pk).update(user=None)
            Person.objects.filter(pk=merged.pk).update(user_id=snap["user_moved"])
        Participation.objects.filter(pk__in=snap["participations_moved"]).update(person=merged)
        _load(snap["participations_changed"])
        _load(snap["participations_removed"])
        Identifier.objects.filter(pk__in=snap["identifiers_moved"]).update(person=merged)
        _load(snap["identifiers_removed"])
        merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), user, reason
        merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        if merge.pair_id:
            ReviewPair.objects.filter(pk=merge.pair_id).update(
                status=PairStatus.OPEN, decided_by=None, decided_at=None, decision_reason=""
            )
        audit_record(
            user=user,
            action="person.unmerge",
            target=merged,
            detail={
                "merge": merge.pk,
                "survivor": str(survivor.public_id),
                "merged": str(merged.public_id),
            },
            reason=reason,
        )
    return merge


def _survivor_of(pair: ReviewPair) -> tuple[Person, Person]:
    """The person with more participations survives (fewer rows move); the older on a tie."""
    a, b = pair.person_a, pair.person_b
    count_a, count_b = a.participations.count(), b.participations.count()
    return (a, b) if count_a >= count_b else (b, a)


def review_pair_decide(
    *,
    pair: ReviewPair,
    decision: str,
    user,
    reason: str = "",
    survivor: Person | None = None,
    batch=None,
) -> Merge | None:
    """ "same" merges the two people; "different" is remembered and never proposed again."""
    if pair.status != PairStatus.OPEN:
        raise MergeError("decided")
    if decision == PairStatus.DIFFERENT:
        ReviewPair.objects.filter(pk=pair.pk).update(
            status=PairStatus.DIFFERENT,
            decided_by=user,
            decided_at=timezone.now(),
            decision_reason=reason,
        )
        audit_record(
            user=user,
            action="person.not_same",
            target=pair.person_a,
            detail={"pair": pair.pk, "other": str(pair.person_b.public_id)},
            reason=reason,
        )
        return None
    if decision != PairStatus.SAME:
        raise MergeError("decision")
    if survivor is None:
        survivor, merged = _survivor_of(pair)
    else:
        merged = pair.person_b if survivor.pk == pair.person_a_id else pair.person_a
    return person_merge(
        survivor=survivor, merged=merged, user=user, reason=reason, pair=pair, batch=batch
    )


def review_pairs_decide(*, pairs, decision: str, user, reason: str = "") -> dict:
    """Bulk decisions for obvious cases: each pair is decided on its own, and a pair whose
    people were already merged through another pair is skipped and reported."""
    done, skipped = 0, 0
    for pair in pairs:
        pair.refresh_from_db()
        try:
            review_pair_decide(pair=pair, decision=decision, user=user, reason=reason)
        except MergeError:
            skipped += 1
        else:
            done += 1
    return {"done": done, "skipped": skipped}


def review_pairs_accept_above(*, threshold: float, user, reason: str = ""):
    """Merge every open pair whose match probability is at least ``threshold``, most
    probable first, as one :class:`~trainees.models.MergeBatch`: audited once, undone at once
    (:func:`merge_batch_undo`). A pair whose people were already merged through another pair
    of the batch is skipped."""
    from trainees.models import MergeBatch

    from .selectors import review_queue

    batch = MergeBatch.objects.create(
        kind=MergeBatch.Kind.ACCEPT_ABOVE, threshold=threshold, created_by=user, reason=reason
    )
    done = skipped = 0
    for pair in list(review_queue().filter(score__gte=threshold)):
        pair.refresh_from_db()
        try:
            review_pair_decide(
                pair=pair, decision=PairStatus.SAME, user=user, reason=reason, batch=batch
            )
        except MergeError:
            skipped += 1
        else:
            done += 1
    batch.merges_count = done
    batch.save(update_fields=["merges_count"])
    audit_record(
        user=user,
        action="review.accept_above",
        target=None,
        detail={"batch": batch.pk, "threshold": threshold, "merged": done, "skipped": skipped},
        reason=reason,
    )
    return batch, {"done": done, "skipped": skipped}


def merge_batch_undo(*, batch, user, reason: str = "") -> int:
    """Undo every merge of ``batch``, latest first (so chains unwind), in one transaction:
    all of them or none. Returns how many merges were undone."""
    if batch.undone_at is not None:
        raise MergeError("already_undone")
    with transaction.atomic():
        merges = list(batch.merges.filter(undone_at__isnull=True).order_by("-pk"))
        for merge in merges:
            person_unmerge(merge=merge, user=user, reason=reason)
        batch.undone_at, batch.undone_by = timezone.now(), user
        batch.save(update_fields=["undone_at", "undone_by"])
        audit_record(
            user=user,
            action="review.batch_undo",
            target=None,
            detail={"batch": batch.pk, "merges": len(merges)},
            reason=reason,
        )
    return len(merges)


def duplicate_scan_run(
    *, user=None, thresholds: Thresholds | None = None, merge: bool = True
) -> dict:
    """Scan every surviving person for likely duplicates with the current model.

    Pairs the model and its constraints would link are merged as one undoable
    :class:`~trainees.models.MergeBatch` (unless ``merge`` is false, when they are queued like
    the others); the doubtful band goes to the review queue. Pairs already in the queue,
    decided, or judged "different people" are not proposed again.
    """
    from trainees.imports.registry import registry_index_full
    from trainees.matching.engine import _Clusters
    from trainees.models import MergeBatch
    from trainees.services.linkage import linkage_model_current

    started = timezone.now()
    model, model_row = linkage_model_current()
    index = registry_index_full()
    index.model = model
    known = list(ReviewPair.objects.values_list("person_a_id", "person_b_id"))
    found = duplicate_scan(index, thresholds=thresholds or Thresholds(), exclude_pairs=known)
    keys = sorted({k for a, b, _d in found for k in (a, b)})
    slot = {k: i for i, k in enumerate(keys)}
    clusters = _Clusters([index.get(k) for k in keys], set())
    to_merge, new = [], []
    for key_a, key_b, decision in found:
        a, b = sorted((key_a, key_b))
        if merge and decision.outcome == "link" and clusters.union(slot[a], slot[b]):
            to_merge.append((a, b))
            continue
        new.append(
            ReviewPair(
                person_a_id=a,
                person_b_id=b,
                score=decision.score,
                reasons=decision.reasons,
                source=PairSource.SCAN,
                model_version=model_row,
            )
        )
    ReviewPair.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    merged = 0
    batch = None
    if to_merge:
        batch = MergeBatch.objects.create(kind=MergeBatch.Kind.SCAN, created_by=user)
        people = Person.objects.in_bulk([k for pair in to_merge for k in pair])
        for a, b in to_merge:
            survivor, gone = people[a], people[b]
            survivor = Person.objects.get(pk=survivor.merged_into_id or survivor.pk)
            gone = Person.objects.get(pk=gone.pk)
            if gone.merged_into_id or survivor.pk == gone.pk:
                continue
            try:
                person_merge(
                    survivor=survivor,
                    merged=gone,
                    user=user,
                    reason="duplicate scan",
                    batch=batch,
                )
            except MergeError:
                continue
            merged += 1
        batch.merges_count = merged
        batch.save(update_fields=["merges_count"])
    result = {
        "people": len(index),
        "pairs": len(new),
        "merged": merged,
        "model": model.version,
        "seconds": round((timezone.now() - started).total_seconds(), 1),
    }
    audit_record(user=user, action="registry.duplicate_scan", target=None, detail=result)
    return result
