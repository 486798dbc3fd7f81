import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.conf import settings

from .roles import Role
from .services import user_roles_set


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_roles_set(user=user, roles={Role.TRAINEE})
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A password typed at sign-in a moment ago counts as a fresh authentication.

        Staff are sent to set up their second factor straight after signing in; asking for the
        password again on that page would only add a step.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request or context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        if records:
            age = time.time() - records[-1]["at"]
            return age >= account_settings.REAUTHENTICATION_TIMEOUT
        return True
