from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import LRSClient

register_permission_policy(LRSClient, admin_views.AdministratorPermissionPolicy(LRSClient))


class LRSClientViewSet(ModelViewSet):
    model = LRSClient
    icon = "key"
    menu_label = _("LRS clients")
    menu_order = 900
    add_to_admin_menu = True
    add_view_class = admin_views.LRSClientCreateView
    list_display = ["name", "key", "active", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["name", "key"]
    form_fields = ["name", "scopes", "active"]

    def get_form_class(self, for_update=False):
        return admin_views.LRSClientForm


class StatementsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_is_lrs_administrator(request.user)


@hooks.register("register_admin_viewset")
def register_lrs_clients():
    return LRSClientViewSet("xapi_clients")


@hooks.register("register_admin_urls")
def statement_browser_urls():
    return [
        path("xapi/statements/", admin_views.statement_browser, name="xapi_statement_browser"),
        path(
            "xapi/statements/<uuid:statement_id>/",
            admin_views.statement_detail,
            name="xapi_statement_detail",
        ),
        path(
            "xapi/unlinked-actors/",
            admin_views.unlinked_actor_list,
            name="xapi_unlinked_actors",
        ),
    ]


@hooks.register("register_admin_menu_item")
def statement_browser_menu_item():
    return StatementsMenuItem(
        _("Statements"), reverse("xapi_statement_browser"), icon_name="list-ul", order=901
    )


@hooks.register("register_admin_menu_item")
def unlinked_actors_menu_item():
    return StatementsMenuItem(
        _("Unlinked actors"), reverse("xapi_unlinked_actors"), icon_name="user", order=902
    )
