from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class TokensMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_manages_api_tokens(request.user)


@hooks.register("register_admin_urls")
def report_api_token_urls():
    return [
        path("reports/tokens/", admin_views.token_index, name="reports_api_tokens"),
        path(
            "reports/tokens/<int:pk>/revoke/",
            admin_views.token_revoke,
            name="reports_api_token_revoke",
        ),
    ]


@hooks.register("register_admin_menu_item")
def report_api_tokens_menu_item():
    return TokensMenuItem(
        _("Report API tokens"), reverse("reports_api_tokens"), icon_name="key", order=910
    )
