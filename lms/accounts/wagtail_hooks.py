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
