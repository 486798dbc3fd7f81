from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import PlatformUserCreationForm, PlatformUserEditForm


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return PlatformUserEditForm if for_update else PlatformUserCreationForm
