"""External LRSs the platform forwards statements to, and the durable outbox of deliveries.

A delivery row is written in the same transaction as the statement it forwards, so a
statement is never stored without it; it is marked delivered only once the target has
answered 2xx (or 409: it already holds the statement). That is at-least-once delivery.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

XAPI_VERSIONS = [
    ("2.0.0", "2.0.0"),
    ("1.0.3", "1.0.3"),
    ("1.0.2", "1.0.2"),
    ("1.0.1", "1.0.1"),
    ("1.0.0", "1.0.0"),
]


class ForwardingTarget(models.Model):
    name = models.CharField(_("name"), max_length=200)
    endpoint = models.URLField(
        _("endpoint"),
        max_length=500,
        help_text=_("The LRS's xAPI endpoint, e.g. https://lrs.example.org/xapi/"),
    )
    username = models.CharField(
        _("key or username"),
        max_length=255,
        blank=True,
        help_text=_("Sent with HTTP Basic authentication, as most LRSs expect."),
    )
    password = models.CharField(
        _("secret or password"),
        max_length=255,
        blank=True,
        help_text=_("Kept in the database as entered: the platform must send it to the LRS."),
    )
    version = models.CharField(
        _("xAPI version"),
        max_length=10,
        choices=XAPI_VERSIONS,
        default="1.0.3",
        help_text=_(
            "Used until the LRS's About resource has been read, and whenever it cannot be "
            "read; otherwise the latest version the LRS lists is used."
        ),
    )
    about_versions = models.JSONField(
        _("versions the LRS lists"),
        default=list,
        blank=True,
        help_text=_("Read from the LRS's About resource, again every hour."),
    )
    about_read_at = models.DateTimeField(_("About read"), null=True, blank=True)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active targets receive new statements; queued ones are still sent."),
    )
    verb_ids = models.TextField(
        _("only these verbs"),
        blank=True,
        help_text=_("One verb id (IRI) per line. Empty: every verb."),
    )
    activity_types = models.TextField(
        _("only these activity types"),
        blank=True,
        help_text=_(
            "One activity type (IRI) per line, matched against the statement's object. "
            "Empty: every statement."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("forwarding target")
        verbose_name_plural = _("forwarding targets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def verb_id_set(self) -> frozenset[str]:
        return frozenset(line.strip() for line in self.verb_ids.splitlines() if line.strip())

    @property
    def activity_type_set(self) -> frozenset[str]:
        return frozenset(line.strip() for line in self.activity_types.splitlines() if line.strip())


class ForwardingDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held back")

    target = models.ForeignKey(
        ForwardingTarget,
        verbose_name=_("target"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    statement_id = models.UUIDField(_("statement id"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("forwarding delivery")
        verbose_name_plural = _("forwarding deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "statement_id"], name="xapi_forwarding_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="xapi_forwarding_due"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.target}"
