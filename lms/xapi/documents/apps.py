from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiDocumentsConfig(AppConfig):
    name = "lms.xapi.documents"
    label = "xapi_documents"
    verbose_name = _("xAPI documents")
    default_auto_field = "django.db.models.BigAutoField"
