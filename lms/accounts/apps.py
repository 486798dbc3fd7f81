from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class PlatformUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the platform's user forms (offices, language, optional e-mail)."""

    user_viewset = "lms.accounts.viewsets.UserViewSet"
