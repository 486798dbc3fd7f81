from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FieldOffice


class FieldOfficeViewSet(SnippetViewSet):
    model = FieldOffice
    icon = "site"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    panels = [FieldPanel("name"), FieldPanel("code")]


register_snippet(FieldOfficeViewSet)


@hooks.register("register_account_menu_item")
def change_password_item(request):
    """Wagtail's own password form is off (one way to sign in): point to allauth's."""
    return {
        "url": reverse("account_change_password"),
        "label": _("Change password"),
        "help_text": _("With the same checks and limits as the sign-in page."),
    }
