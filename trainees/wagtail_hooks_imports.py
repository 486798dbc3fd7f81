"""Registry menu items for roster imports, the review queue and merges (issue 5)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from trainees.imports.selectors import user_can_import
from trainees.review.selectors import user_can_review
from trainees.wagtail_hooks import REGISTRY_MENU_HOOK, registry_menu_link


@hooks.register(REGISTRY_MENU_HOOK)
def roster_imports_menu_item():
    return registry_menu_link(
        _("Roster imports"),
        "roster_import_index",
        order=400,
        icon_name="upload",
        check=lambda user: user_can_import(user=user),
    )


@hooks.register(REGISTRY_MENU_HOOK)
def review_queue_menu_item():
    return registry_menu_link(
        _("People to review and duplicate scan"),
        "review_index",
        order=410,
        icon_name="group",
        check=lambda user: user_can_review(user=user),
    )


@hooks.register(REGISTRY_MENU_HOOK)
def merges_menu_item():
    return registry_menu_link(
        _("Merges"),
        "review_merges",
        order=420,
        icon_name="history",
        check=lambda user: user_can_review(user=user),
    )
