import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldOffice(models.Model):
    """A field office from which trainers work (Gao, Kidal, Mopti, Tessalit, Timbuktu, Bamako...).

    Trainers are scoped to one or more offices; the registry's places point at their office.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field office")
        verbose_name_plural = _("field offices")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. E-mail is optional: many trainees have only a phone."""

    email = models.EmailField(_("e-mail address"), blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when a trainer hands over an initial password or a one-time code."),
    )
    field_offices = models.ManyToManyField(
        FieldOffice, blank=True, related_name="users", verbose_name=_("field offices")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("fr", _("French")), ("en", _("English"))],
        default="fr",
    )
    #: The account's xAPI actor name (``{"account": {"homePage": <site>, "name": ...}}``)
    #: until the registry has a person for it: the registry gives a new person this public id,
    #: so the actor never changes, and links it to the person otherwise (lms/xapi/actors.py).
    actor_id = models.UUIDField(_("xAPI actor id"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("add_trainee_account", _("Can create trainee accounts"))]
        verbose_name = _("user")
        verbose_name_plural = _("users")
