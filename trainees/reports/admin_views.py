"""Wagtail admin screens for report API tokens (administrators only)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms.accounts.roles import Role
from lms.accounts.selectors import user_has_role
from trainees.reports.models import ReportAPIToken
from trainees.reports.services import api_token_create, api_token_revoke


def user_manages_api_tokens(user) -> bool:
    return user_has_role(user=user, roles=Role.ADMINISTRATOR)


def _require_administrator(request) -> None:
    if not user_manages_api_tokens(request.user):
        raise PermissionDenied(_("Only administrators manage report API tokens."))


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which system uses this token."),
    )


def token_index(request):
    _require_administrator(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        api_token, token = api_token_create(name=form.cleaned_data["name"], user=request.user)
        return render(
            request, "reports/admin/token_created.html", {"api_token": api_token, "token": token}
        )
    tokens = ReportAPIToken.objects.select_related("created_by")
    return render(request, "reports/admin/token_index.html", {"form": form, "tokens": tokens})


@require_POST
def token_revoke(request, pk: int):
    _require_administrator(request)
    api_token_revoke(api_token=get_object_or_404(ReportAPIToken, pk=pk), user=request.user)
    return redirect("reports_api_tokens")
