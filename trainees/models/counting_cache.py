"""The registry's data version and the cache of built reports keyed by it.

Why a version kept by the database: a report cached per scope must never outlive the data it
was built from, and what counts changes through many paths (services, the admin's edit
forms, ``QuerySet.update``, bulk imports, merges and their undo). Triggers created in
migration ``0006_counting_cache`` add one to :class:`RegistryVersion` on every write to the
tables a figure reads (participations, people, organisations, places, programmes, aggregate
sessions and counts, field offices), so no path can forget to invalidate. The bump is part of
the writing transaction: readers see the new version exactly when they see the new data,
and a rolled-back write leaves the version as it was. On PostgreSQL it is made at commit by a
deferred trigger (migration ``0007_registry_version_bump_at_commit``), so concurrent writers
do not queue on this row while they work; read it through
``trainees.reports.cache.registry_version``, which also makes a writing transaction see its
own change.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class RegistryVersion(models.Model):
    """One row (id 1): a number that grows on every change to what the reports count."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="registry_version_one_row")]

    def __str__(self) -> str:
        return f"registry version {self.version}"


class CountsCacheEntry(models.Model):
    """A built report for one (figure, scope, language), valid while ``version`` is current.

    Kept in the database rather than the process cache so every worker shares it and it
    rolls back with the data it describes.
    """

    key = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField()
    payload = models.BinaryField()
    built_at = models.DateTimeField(auto_now=True)
    build_seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.key} @ {self.version}"
