from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .selectors import user_has_totp, user_is_staff_role

# Pages a signed-in user can always reach, whatever is still required of them.
_ALWAYS_ALLOWED = {
    "account_logout",
    "account_change_password",
    "mfa_activate_totp",
    "mfa_index",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "set_language",
    "javascript-catalog",
}
_EXEMPT_PREFIXES = ("/static/", "/media/", "/xapi/", "/i18n/")


class AccountRequirementsMiddleware:
    """Sends a signed-in user to what their account still lacks before anything else.

    - an initial password handed over by a trainer must be changed;
    - every staff role must have a second factor (TOTP) before using the platform;
    - the Wagtail admin is refused outright to roles without admin access.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            try:
                url_name = resolve(request.path_info).url_name
            except Resolver404:
                url_name = None
            if request.path.startswith("/admin/") and not user.has_perm(
                "wagtailadmin.access_admin"
            ):
                # Wagtail would send a signed-in trainee back to the sign-in page, which sends
                # them on to the admin again: say plainly that the admin is not for them.
                raise PermissionDenied(_("The administration is for staff only."))
            if url_name not in _ALWAYS_ALLOWED:
                if user.must_change_password:
                    messages.info(request, _("Choose your own password before you continue."))
                    return redirect("account_change_password")
                if user_is_staff_role(user=user) and not user_has_totp(user=user):
                    messages.info(
                        request,
                        _(
                            "Staff accounts sign in with a second factor. "
                            "Set up an authenticator app before you continue."
                        ),
                    )
                    return redirect("mfa_activate_totp")
        return self.get_response(request)
