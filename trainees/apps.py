import os
import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
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

        # The apps that emit statements read an account's actor through lms.xapi.actors;
        # the registry answers with the account's person, and never lets them create one.
        from lms.xapi.actors import register_account_person

        from .selectors.people import person_public_id_for_user

        register_account_person(person_public_id_for_user)

        # The task worker runs the roster imports: it builds its registry matching index as
        # it starts rather than during the first import (docs/benchmarks/registry.md).
        if sys.argv[1:2] == ["db_worker"] and _runs_tasks(sys.argv[2:]):
            from .imports.warm import registry_index_prewarm

            registry_index_prewarm()


def _runs_tasks(arguments: list[str]) -> bool:
    """Whether this ``db_worker`` process runs tasks: with auto-reload (the default when
    DEBUG is on) the parent process only watches files and its child runs the tasks."""
    reloading = "--reload" in arguments or (
        settings.DEBUG and "--no-reload" not in arguments and "--batch" not in arguments
    )
    return not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
