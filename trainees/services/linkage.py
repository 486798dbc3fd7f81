"""The linkage model of the registry: which one is current, when to train, training.

The matching engine is pure (no ORM); these services store its parameters as
:class:`~trainees.models.LinkageModelVersion` rows and hand the current one to the imports,
the account matching and the duplicate scan.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from trainees.matching.model import LinkageModel, model_train
from trainees.models import LinkageModelVersion, LinkageTrainingRun

__all__ = [
    "linkage_model_current",
    "linkage_model_current_version",
    "linkage_model_train",
    "linkage_training_rows",
]

logger = logging.getLogger(__name__)


_cache: dict = {"pk": None, "model": None}


def linkage_model_current_version() -> LinkageModelVersion | None:
    return LinkageModelVersion.objects.filter(is_current=True).first()


def linkage_model_current() -> tuple[LinkageModel, LinkageModelVersion | None]:
    """The current model (the documented priors when none was trained) and its row."""
    row = linkage_model_current_version()
    if row is None:
        return LinkageModel().with_value_shares(_value_shares_cached()), None
    key = (row.pk, row.version)
    if _cache["pk"] != key:
        _cache["model"] = LinkageModel.from_json(row.parameters, version=row.version)
        _cache["pk"] = key
    return _cache["model"], row


_shares_cache: dict = {"version": None, "shares": None}


def _value_shares_cached() -> dict[str, tuple[float, int]]:
    """:func:`registry_value_shares`, read again only when the registry's people or roster
    rows changed (three cheap aggregates): a preview and its confirm on an unchanged
    registry decide with the same model."""
    from django.db.models import Count, Max

    from trainees.imports.models import RosterRow
    from trainees.imports.services import registry_version

    rows = RosterRow.objects.aggregate(n=Count("pk"), top=Max("pk"))
    version = [*registry_version(), rows["n"], rows["top"]]
    if _shares_cache["version"] != version or _shares_cache["shares"] is None:
        _shares_cache["shares"] = registry_value_shares()
        _shares_cache["version"] = version
    return _shares_cache["shares"]


def registry_value_shares() -> dict[str, tuple[float, int]]:
    """For the comparisons of one value (sex, organisation): the chance that two records of
    the registry picked at random hold the same value (the sum of the squared shares of
    each value) and how many records say one. Sex is read off people; organisation off
    the roster rows that became people, as the matching compares them (normalised text)."""
    from collections import Counter

    from django.db.models import Count
    from django.db.models.fields.json import KT

    from trainees.imports.models import RosterRow
    from trainees.matching import normalise_text
    from trainees.models import Person

    def squared(counts: Counter) -> tuple[float, int]:
        total = sum(counts.values())
        if not total:
            return 0.0, 0
        return sum((n / total) ** 2 for n in counts.values()), total

    sexes = Counter(
        dict(
            Person.objects.filter(merged_into__isnull=True)
            .exclude(sex="")
            .order_by()
            .values("sex")
            .annotate(n=Count("pk"))
            .values_list("sex", "n")
        )
    )
    organisations: Counter = Counter()
    texts = (
        RosterRow.objects.filter(person__isnull=False)
        .annotate(text=KT("values__organisation"))
        .order_by()
        .values("text")
        .annotate(n=Count("pk"))
        .values_list("text", "n")
    )
    for text, n in texts:
        key = normalise_text(text) if text else ""
        if key:
            organisations[key] += n
    return {"sex": squared(sexes), "organisation": squared(organisations)}


def linkage_training_rows(*, limit: int = 200_000) -> tuple[list[dict], int]:
    """The training table: one record per surviving person, plus the rows imports linked to
    people (the repeated records of one person that EM learns m from). Returns the rows and
    how many people."""
    from trainees.imports.models import RosterRow
    from trainees.imports.registry import person_record_rows, row_record
    from trainees.matching.block import prepare
    from trainees.matching.features import features

    people = person_record_rows()
    rows = [features(prepare(r)).row(i) for i, r in enumerate(people)]
    recorded = (
        RosterRow.objects.filter(person__isnull=False)
        .order_by("-pk")
        .values_list("values", flat=True)[:limit]
    )
    for values in recorded:
        try:
            record = row_record(values, len(rows))
        except (TypeError, ValueError):  # a row stored by an older version: skip it
            continue
        rows.append(features(prepare(record)).row(len(rows)))
    return rows, len(people)


def linkage_model_train(*, user=None) -> LinkageTrainingRun:
    """Train the model on the registry and make it current, or keep the previous one.

    The switch is one transaction: until it commits, every import uses the previous model;
    a run that fails or is interrupted leaves it current and says why.
    """
    run = LinkageTrainingRun.objects.create(
        status=LinkageTrainingRun.Status.RUNNING, started_by=user
    )
    previous, _row = linkage_model_current()
    try:
        rows, people = linkage_training_rows()
        result = model_train(rows, previous=previous)
    except Exception as exc:  # training must never take the registry down with it
        logger.exception("Training the linkage model failed.")
        run.status, run.message = LinkageTrainingRun.Status.FAILED, str(exc)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        return run
    if not result.trained:
        run.status, run.message = LinkageTrainingRun.Status.KEPT, result.message
    else:
        with transaction.atomic():
            LinkageModelVersion.objects.filter(is_current=True).update(is_current=False)
            version, _created = LinkageModelVersion.objects.update_or_create(
                version=result.model.version,
                defaults={
                    "parameters": result.model.to_json(),
                    "people": people,
                    "records": result.records,
                    "is_current": True,
                },
            )
        run.status, run.message = LinkageTrainingRun.Status.TRAINED, result.message
        run.model_version = version
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "model_version", "finished_at"])
    return run
