"""Administrator screens of the LRS in the Wagtail admin: LRS clients and the statement
browser. Wired in wagtail_hooks.py."""

from __future__ import annotations

import json
import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.permission_policies.base import ModelPermissionPolicy

from lms.accounts.roles import Role
from lms.accounts.selectors import user_has_role
from lms.core.services import audit_record

from . import scopes
from .models import LRSClient, Statement
from .selectors import statements_browse, unlinked_actors

SCOPE_LABELS = {
    scopes.STATEMENTS_WRITE: _("Write statements"),
    scopes.STATEMENTS_READ: _("Read all statements"),
    scopes.STATEMENTS_READ_MINE: _("Read the statements it wrote"),
    scopes.STATE: _("State documents"),
    scopes.DEFINE: _("Define activities"),
    scopes.PROFILE: _("Profile documents"),
    scopes.ALL: _("Everything"),
}


def user_is_lrs_administrator(user) -> bool:
    return user_has_role(user=user, roles=Role.ADMINISTRATOR)


class AdministratorPermissionPolicy(ModelPermissionPolicy):
    """LRS credentials are for administrators only; clients are deactivated, not deleted,
    so the authority of their statements stays meaningful."""

    def user_has_permission(self, user, action):
        return action in {"add", "change", "view"} and user_is_lrs_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class LRSClientForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(scope, SCOPE_LABELS[scope]) for scope in scopes.ALL_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the tool may do. “Define activities” lets it change course names."),
    )

    class Meta:
        model = LRSClient
        fields = ["name", "scopes", "active"]


class LRSClientCreateView(generic.CreateView):
    """Shows the secret once, on the page that follows creation; only its hash is kept."""

    def form_valid(self, form):
        secret = secrets.token_urlsafe(32)
        form.instance.secret_set(secret)
        self.form = form
        self.object = self.save_instance()
        audit_record(
            user=self.request.user, action="xapi.client.create", target=self.object, detail={}
        )
        return TemplateResponse(
            self.request,
            "xapi/admin/client_secret.html",
            {"client": self.object, "secret": secret, "index_url": self.get_success_url()},
        )


# -- statement browser ---------------------------------------------------------------------


class StatementFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        help_text=_("E-mail address, account name or person UUID."),
    )
    verb = forms.CharField(label=_("Verb IRI"), required=False)
    activity = forms.CharField(label=_("Activity IRI"), required=False)
    since = forms.DateField(
        label=_("Stored from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Stored until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def statement_browser(request):
    if not user_is_lrs_administrator(request.user):
        raise PermissionDenied
    form = StatementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = statements_browse(**{key: value for key, value in filters.items() if value})
    page = Paginator(queryset, 25, allow_empty_first_page=True).get_page(request.GET.get("p"))
    audit_record(
        user=request.user,
        action="xapi.statements.browse",
        target=None,
        detail={key: str(value) for key, value in filters.items() if value},
    )
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "xapi/admin/statement_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def statement_detail(request, statement_id):
    if not user_is_lrs_administrator(request.user):
        raise PermissionDenied
    statement = get_object_or_404(Statement, statement_id=statement_id)
    audit_record(user=request.user, action="xapi.statement.view", target=statement)
    pretty = json.dumps(json.loads(statement.raw), indent=2, ensure_ascii=False)
    return TemplateResponse(
        request, "xapi/admin/statement_detail.html", {"statement": statement, "pretty": pretty}
    )


def unlinked_actor_list(request):
    """Actors outside the registry, counted (lms.xapi.selectors.unlinked_actors). Their
    identifiers are personal data: every view is audited."""
    if not user_is_lrs_administrator(request.user):
        raise PermissionDenied
    rows = unlinked_actors(own_account_prefix=f"account:{settings.SITE_URL}|")
    page = Paginator(rows, 50, allow_empty_first_page=True).get_page(request.GET.get("p"))
    audit_record(user=request.user, action="xapi.unlinked_actors.view", target=None, detail={})
    return TemplateResponse(request, "xapi/admin/unlinked_actors.html", {"page": page})
