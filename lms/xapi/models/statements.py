"""Statements stored for queries (Communication 2.1.3): the JSON as stored, plus indexed
columns and index rows for every GET filter, so a filtered GET at a million statements
reads a few index pages instead of scanning JSON.

``seq`` is an ever-increasing sequence: it orders results ("stored" order) and is what the
``more`` cursor points into.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

IRI_LENGTH = 2048
KEY_LENGTH = 2048


class StatementTextField(models.TextField):
    """Text inserted as one parameter per row. Django's PostgreSQL bulk insert otherwise
    packs each column into an array literal, escaping every quote of the statement JSON
    in Python: a third of the cost of storing a batch."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class Statement(models.Model):
    seq = models.BigAutoField(primary_key=True)
    statement_id = models.UUIDField(_("statement id"), unique=True)
    verb_id = models.CharField(_("verb"), max_length=IRI_LENGTH)
    object_activity_id = models.CharField(max_length=IRI_LENGTH, null=True, blank=True)
    # The target of a StatementRef object (voiding statements and other references).
    object_statement_id = models.UUIDField(null=True, blank=True)
    actor_key = models.CharField(_("actor"), max_length=KEY_LENGTH)
    authority_key = models.CharField(max_length=KEY_LENGTH)
    registration = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField(_("timestamp"))
    stored = models.DateTimeField(_("stored"))
    voided = models.BooleanField(_("voided"), default=False)
    is_voiding = models.BooleanField(default=False)
    # The statement exactly as the LRS returns it in the "exact" format, compact JSON text:
    # served without parsing and re-serialising.
    raw = StatementTextField()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["verb_id", "seq"], name="xapi_stmt_verb_seq"),
            models.Index(fields=["registration", "seq"], name="xapi_stmt_registration_seq"),
            models.Index(fields=["authority_key", "seq"], name="xapi_stmt_authority_seq"),
            models.Index(fields=["stored"], name="xapi_stmt_stored"),
            # Only voiding statements: with every other row NULL here, a full index looks
            # useless to SQLite's planner, which then scans the table on every insert.
            models.Index(
                fields=["object_statement_id"],
                name="xapi_stmt_voiding_target",
                condition=models.Q(is_voiding=True),
            ),
            models.Index(fields=["actor_key", "seq"], name="xapi_stmt_actor_seq"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementAgent(models.Model):
    """One Agent or Group IFI key a statement is about (Communication 2.1.3 ``agent``).

    relation ``actor``/``object`` rows answer the plain filter; ``related`` rows
    (authority, instructor, team, SubStatement agents) are added with ``related_agents``.
    A key appears once per statement, under its narrowest relation.
    """

    class Relation(models.TextChoices):
        ACTOR = "actor"
        OBJECT = "object"
        RELATED = "related"

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="agent_rows", db_index=False
    )
    agent_key = models.CharField(max_length=KEY_LENGTH)
    relation = models.CharField(max_length=8, choices=Relation.choices)

    class Meta:
        indexes = [
            models.Index(
                fields=["agent_key", "relation", "statement"], name="xapi_agent_key_rel_stmt"
            ),
            models.Index(fields=["statement"], name="xapi_agent_stmt"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["statement", "agent_key"], name="xapi_agent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_key} ({self.relation})"


class StatementActivity(models.Model):
    """One Activity id a statement is about: ``object`` for the plain ``activity`` filter,
    ``related`` (context activities, SubStatement) for ``related_activities``."""

    class Relation(models.TextChoices):
        OBJECT = "object"
        RELATED = "related"

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="activity_rows", db_index=False
    )
    activity_id = models.CharField(max_length=IRI_LENGTH)
    relation = models.CharField(max_length=8, choices=Relation.choices)

    class Meta:
        indexes = [
            models.Index(
                fields=["activity_id", "relation", "statement"], name="xapi_act_id_rel_stmt"
            ),
            # ``related_activities`` (no relation condition): walked in statement order, so
            # a page reads 25 rows of a course instead of sorting all its rows (SQLite).
            models.Index(fields=["activity_id", "statement"], name="xapi_act_id_stmt"),
            models.Index(fields=["statement"], name="xapi_act_stmt"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["statement", "activity_id"], name="xapi_activity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} ({self.relation})"


class StatementRefTarget(models.Model):
    """A statement that ``statement`` targets through a StatementRef object, directly or down
    a chain (a -> b -> c gives rows (a, b) and (a, c)): Communication 2.1.3 "Filter
    Conditions for StatementRefs" lets ``a`` match a query when ``b`` or ``c`` does.

    Kept at store time, so a query joins these few rows instead of walking references.
    ``target`` may not be stored yet (no database constraint): its row is written when the
    referring statement arrives, and the target's own chain is added when it arrives.
    ``target_seq`` is the target's ``seq`` once it is stored, so the filters join the index
    rows of the target directly.
    """

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="ref_targets", db_index=False
    )
    target = models.ForeignKey(
        Statement,
        to_field="statement_id",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    target_seq = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["target"], name="xapi_reftarget_target"),
            models.Index(fields=["target_seq"], name="xapi_reftarget_target_seq"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["statement", "target"], name="xapi_reftarget_once"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} -> {self.target_id}"


# The LRS's write lock among PostgreSQL advisory locks (any constant of our own): taken
# shared by a batch without StatementRefs, exclusive by a batch with one (see
# services.statements._write_register).
WRITE_LOCK_KEY = 0x78415049  # "xAPI"
# On PostgreSQL each write in flight holds two shared advisory locks whose 64-bit key is
# one of these tags in its top byte and, below, a floor: the highest ``seq`` visible before
# its own (its sequence numbers are all above it), or the ``stored`` time in milliseconds
# since 1970 that its own is at or after. Readers bound the Consistent-Through header and
# the ``more`` bound by the lowest floors in ``pg_locks`` (selectors.statements_consistency).
WRITE_SEQ_TAG = 0x73  # "s"
WRITE_STORED_TAG = 0x74  # "t"


class StatementClock(models.Model):
    """One row: the latest ``stored`` time given to a statement (SQLite).

    On SQLite a write locks this row from the moment it takes its ``stored`` time and
    sequence numbers until it commits, so statements become visible in ``seq`` and
    ``stored`` order: what makes ``X-Experience-API-Consistent-Through`` and the ``more``
    bound safe (Communication 2.1.3). PostgreSQL writes do not use it: they commit in
    parallel and announce themselves in ``pg_locks`` (``WRITE_SEQ_TAG``)."""

    stored = models.DateTimeField()

    def __str__(self) -> str:
        return self.stored.isoformat()


class Activity(models.Model):
    """The canonical definition of an Activity (Communication 2.5 Activities resource),
    merged from the statements that carry it."""

    activity_id = models.CharField(_("activity id"), max_length=IRI_LENGTH, unique=True)
    definition = models.JSONField(_("definition"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.activity_id


class StatementAttachment(models.Model):
    """Raw attachment content (Data 2.4.11), stored once per SHA-2 hash."""

    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    length = models.PositiveBigIntegerField()
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.sha2
