from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from lms.xapi.hooks import register_statement_consumer

        from .review_names import review_names_install
        from .services.external import statements_from_content

        review_names_install()

        register_statement_consumer(statements_from_content, phase="on_commit")
