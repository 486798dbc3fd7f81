from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.roles import Role
from lms.accounts.selectors import user_has_role

from .models import CourseCatalogue
from .services.catalogue import catalogue_permissions_ensure


@hooks.register("after_create_page")
def catalogue_created(request, page):
    if isinstance(page.specific, CourseCatalogue):
        catalogue_permissions_ensure(catalogue=page)


class SignoffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_role(
            user=request.user, roles={Role.TRAINER, Role.LEAD_TRAINER, Role.ADMINISTRATOR}
        )


@hooks.register("register_admin_menu_item")
def signoff_menu_item():
    return SignoffMenuItem(
        _("Practical sign-off"), reverse("courses:signoffs"), icon_name="tick", order=250
    )


@hooks.register("before_serve_page")
def page_for_language_links(page, request, serve_args, serve_kwargs):
    # The language switcher (lms.core.context_processors) links to this page's translation.
    request.wagtail_page = page
