from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("Trainee registry")

    def ready(self) -> None:
        # The registry follows the LRS: voided statements void participations, and actors
        # other than the platform's own accounts are resolved to people.
        from lms.xapi.hooks import register_statement_consumer

        from .services.statements import statements_consume

        register_statement_consumer(statements_consume, phase="on_commit")
