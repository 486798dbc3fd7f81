"""LRS clients: the credentials an xAPI tool uses (HTTP Basic key:secret)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _


def client_key_generate() -> str:
    return secrets.token_urlsafe(18)


def client_authority_default(*, key: str, name: str) -> dict:
    """The Agent put as ``authority`` on statements this client stores (Data 2.4.9)."""
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": f"client:{key}"},
        "name": name,
    }


class LRSClient(models.Model):
    """One xAPI tool allowed to call the LRS.

    The secret is kept hashed with Django's password hasher, so a database leak does not
    hand out credentials; an administrator sees it once, when the client is created.
    """

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=64, unique=True, default=client_key_generate)
    secret_hash = models.CharField(_("secret (hashed)"), max_length=256, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    authority = models.JSONField(_("authority agent"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def secret_set(self, secret: str) -> None:
        self.secret_hash = make_password(secret)

    def secret_check(self, secret: str) -> bool:
        return bool(self.secret_hash) and check_password(secret, self.secret_hash)

    @property
    def authority_agent(self) -> dict:
        return self.authority or client_authority_default(key=self.key, name=self.name)
