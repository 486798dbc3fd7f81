from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.core.services import audit_record

from .forms import TraineeAccountForm, TraineeAccountListForm
from .selectors import trainee_accounts_created_by
from .services import AccountError, trainee_account_create, trainee_accounts_create


def _require_account_creator(request):
    if not request.user.has_perm("accounts.add_trainee_account"):
        raise PermissionDenied(_("Only trainers can create trainee accounts."))


@login_required
def trainee_account_new(request):
    _require_account_creator(request)
    form = TraineeAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = [trainee_account_create(created_by=request.user, row=form.to_row())]
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            audit_record(
                user=request.user,
                action="account.create",
                target=issued[0].user,
                detail={"count": 1},
            )
            return render(request, "accounts/issued_accounts.html", {"issued": issued})
    return render(request, "accounts/trainee_account_new.html", {"form": form})


@login_required
def trainee_account_list_new(request):
    _require_account_creator(request)
    form = TraineeAccountListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = trainee_accounts_create(
                created_by=request.user, rows=form.cleaned_data["rows"]
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            audit_record(
                user=request.user,
                action="account.create",
                target=None,
                detail={"count": len(issued), "usernames": [i.user.username for i in issued]},
            )
            return render(request, "accounts/issued_accounts.html", {"issued": issued})
    return render(request, "accounts/trainee_account_list_new.html", {"form": form})


@login_required
def trainee_account_index(request):
    _require_account_creator(request)
    accounts = trainee_accounts_created_by(user=request.user)[:200]
    audit_record(user=request.user, action="account.list", target=None, detail={})
    return render(request, "accounts/trainee_account_index.html", {"accounts": accounts})


def sign_in_redirect(request, default_next="/"):
    """Wagtail's own sign-in forms (the admin's, and the one for pages restricted to signed-in
    users) would sign in on a password alone: send every visitor to the one sign-in, which asks
    staff for their second factor."""
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or default_next, "account_login")


def admin_password_reset(request):
    """Wagtail's password reset skips allauth's rate limits: use allauth's."""
    return redirect("account_reset_password")
