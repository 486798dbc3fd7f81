"""The registry's menu in the Wagtail admin.

One submenu named ``registry`` holds every registry screen. Other parts of the app add their
items to it without touching this file's menu, through the hook :data:`REGISTRY_MENU_HOOK`::

    from wagtail import hooks
    from trainees.wagtail_hooks import REGISTRY_MENU_HOOK, registry_menu_link

    @hooks.register(REGISTRY_MENU_HOOK)
    def roster_imports_menu_item():
        return registry_menu_link(_("Roster imports"), "roster_import_index", order=400)

A ``ModelViewSet`` joins the menu by setting ``menu_hook = REGISTRY_MENU_HOOK``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from trainees.matching import normalise_text
from trainees.models import Organisation, Place, Programme
from trainees.selectors.access import user_can_use_registry

REGISTRY_MENU_NAME = "registry"
REGISTRY_MENU_HOOK = "register_registry_menu_item"


class _RegistryLink(MenuItem):
    """A link to a front-end registry screen, shown to the roles that may use it."""

    def __init__(self, label, url_name: str, *, check=None, **kwargs):
        self._url_name = url_name
        self._check = check or (lambda user: user_can_use_registry(user=user))
        super().__init__(label, "#", **kwargs)

    def get_context(self, request):  # the URL is language-prefixed: resolve it per request
        self.url = reverse(self._url_name)
        return super().get_context(request)

    def is_shown(self, request):
        return self._check(request.user)


def registry_menu_link(
    label, url_name: str, *, order: int = 500, icon_name: str = "link", name: str = "", check=None
) -> MenuItem:
    """A registry menu item linking to the view named ``url_name``.

    ``check(user) -> bool`` decides who sees it (default: every registry role).
    """
    return _RegistryLink(
        label, url_name, check=check, order=order, icon_name=icon_name, name=name or url_name
    )


@hooks.register("register_admin_menu_item")
def registry_menu():
    return SubmenuMenuItem(
        _("Registry"),
        Menu(register_hook_name=REGISTRY_MENU_HOOK),
        name=REGISTRY_MENU_NAME,
        icon_name="group",
        order=250,
    )


@hooks.register(REGISTRY_MENU_HOOK)
def people_menu_item():
    return registry_menu_link(_("People"), "registry_people_index", order=100, icon_name="user")


@hooks.register(REGISTRY_MENU_HOOK)
def events_menu_item():
    return registry_menu_link(
        _("Training events"), "registry_event_index", order=110, icon_name="date"
    )


@hooks.register(REGISTRY_MENU_HOOK)
def sessions_menu_item():
    return registry_menu_link(
        _("Aggregate sessions"), "registry_session_index", order=120, icon_name="table"
    )


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    menu_hook = REGISTRY_MENU_HOOK
    menu_name = "registry_organisations"
    menu_label = _("Organisations")
    menu_order = 200
    icon = "group"
    form_fields = ["code", "name_fr", "name_en", "parent", "category", "reporting_category"]
    list_display = ["name_fr", "code", "category", "reporting_category", "parent"]
    list_filter = ["category", "reporting_category"]
    search_fields = ["name_fr", "name_en", "code"]
    search_backend_name = None  # not indexed: plain database filtering

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class OrganisationForm(form_class):
            def clean(self):
                cleaned = super().clean()
                # Kept for matching organisations typed on rosters.
                self.instance.name_normalised = normalise_text(cleaned.get("name_fr"))[:200]
                return cleaned

        return OrganisationForm


class PlaceViewSet(ModelViewSet):
    model = Place
    menu_hook = REGISTRY_MENU_HOOK
    menu_name = "registry_places"
    menu_label = _("Places")
    menu_order = 210
    icon = "site"
    form_fields = ["name", "kind", "parent", "field_office", "latitude", "longitude"]
    list_display = ["name", "kind", "parent", "field_office"]
    list_filter = ["kind", "field_office"]
    search_fields = ["name"]
    search_backend_name = None  # not indexed: plain database filtering


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    menu_hook = REGISTRY_MENU_HOOK
    menu_name = "registry_programmes"
    menu_label = _("Programmes")
    menu_order = 220
    icon = "folder-open-inverse"
    form_fields = ["code", "name_fr", "name_en", "qualifying_outcomes", "sort_order"]
    list_display = ["name_fr", "code", "qualifying_outcomes"]
    search_fields = ["name_fr", "name_en", "code"]
    search_backend_name = None  # not indexed: plain database filtering


@hooks.register("register_admin_viewset")
def registry_viewsets():
    return [
        OrganisationViewSet("registry_organisations"),
        PlaceViewSet("registry_places"),
        ProgrammeViewSet("registry_programmes"),
    ]


from trainees import wagtail_hooks_imports  # noqa: E402, F401 - roster import and review menu
