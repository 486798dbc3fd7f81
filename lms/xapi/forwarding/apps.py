from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiForwardingConfig(AppConfig):
    name = "lms.xapi.forwarding"
    label = "xapi_forwarding"
    verbose_name = _("xAPI forwarding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.xapi.hooks import register_statement_consumer

        from .services import outbox_write

        # In the storing transaction: a statement is never stored without its deliveries.
        register_statement_consumer(outbox_write, phase="in_transaction")
