"""Documents kept by the LRS (Data 1.0 Documents, Communication 2.2-2.7).

Every document is stored byte for byte with the content type it was sent with; the ETag is
the SHA-1 of those bytes (Communication 3.1.s4.b2), kept so a precondition check needs no
hashing. The agent is kept as its IFI key (the lookup) and as the JSON it was first sent
with. Uniqueness lives in the database, so two racing writers cannot make two documents.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    content = models.BinaryField(_("content"))
    content_type = models.CharField(_("content type"), max_length=255)
    etag = models.CharField(_("ETag"), max_length=40)
    updated = models.DateTimeField(_("updated"))

    class Meta:
        abstract = True


class State(Document):
    """Communication 2.3: a document in the context of an Activity, an Agent and,
    optionally, a registration."""

    activity_id = models.TextField(_("activity id"))
    agent_key = models.TextField(_("agent"))
    agent = models.JSONField(_("agent as sent"))
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    state_id = models.TextField(_("state id"))

    class Meta:
        verbose_name = _("state document")
        verbose_name_plural = _("state documents")
        constraints = [
            # NULLs are distinct in a unique index: a separate partial index makes the
            # "no registration" document unique too, on PostgreSQL and SQLite alike.
            models.UniqueConstraint(
                fields=["activity_id", "agent_key", "registration", "state_id"],
                condition=Q(registration__isnull=False),
                name="xapi_state_unique_with_registration",
            ),
            models.UniqueConstraint(
                fields=["activity_id", "agent_key", "state_id"],
                condition=Q(registration__isnull=True),
                name="xapi_state_unique_without_registration",
            ),
        ]
        indexes = [models.Index(fields=["activity_id", "agent_key", "updated"])]

    def __str__(self) -> str:
        return self.state_id


class ActivityProfile(Document):
    """Communication 2.7: a document about an Activity."""

    activity_id = models.TextField(_("activity id"))
    profile_id = models.TextField(_("profile id"))

    class Meta:
        verbose_name = _("activity profile")
        verbose_name_plural = _("activity profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["activity_id", "profile_id"], name="xapi_activity_profile_unique"
            )
        ]

    def __str__(self) -> str:
        return self.profile_id


class AgentProfile(Document):
    """Communication 2.6: a document about an Agent (or an Identified Group named by its
    identifier)."""

    agent_key = models.TextField(_("agent"))
    agent = models.JSONField(_("agent as sent"))
    profile_id = models.TextField(_("profile id"))

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["agent_key", "profile_id"], name="xapi_agent_profile_unique"
            )
        ]

    def __str__(self) -> str:
        return self.profile_id
