import os

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings
from wagtail.models import Locale, Page

from tests.factories import UserFactory

# The suite is deterministic: property tests draw the same examples on every run, so a run
# that passes on one machine passes on the next (a failure found once must be fixed, not
# re-rolled). `HYPOTHESIS_PROFILE=explore bash scripts/test.sh` draws new examples each run
# and is how new failures are looked for (docs/testing.md).
hypothesis_settings.register_profile("suite", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def _default_language():
    # A test that renders in English must not leave English active for the next one.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and TOTP replay guards live in the cache: each test starts clean.
    cache.clear()
    yield
    cache.clear()


# Data migrations whose forward functions are idempotent, in migration order.
DATA_MIGRATIONS = [
    ("lms.accounts.migrations.0003_roles_field_offices", "sync_roles"),
    ("trainees.migrations.0002_reference_data", "reference_data_create"),
    ("trainees.migrations.0004_registry_permissions", "permissions_grant"),
    ("courses.migrations.0002_course_review_workflow", "create_workflow"),
]


def migration_data_restore() -> None:
    """Put back what the data migrations made: roles, reference data, the page tree's root.

    A transactional test flushes the database when it ends, so the next one starts without it.
    """
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    schema_editor = type("SchemaEditor", (), {"connection": connection})()
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, schema_editor)
    locale = Locale.objects.get_or_create(language_code="fr")[0]
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                locale=locale,
                content_type=ContentType.objects.get_for_model(Page),
            )
        )


@pytest.fixture(autouse=True)
def _transactional_migration_data(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        migration_data_restore()


@pytest.fixture
def migration_data(transactional_db):
    """Kept for tests that ask for it by name; every transactional test gets the data anyway."""
    migration_data_restore()


@pytest.fixture
def make_user(db):
    def make(role=None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def home_page(db):
    """A French home page and its English translation as the default site's root."""
    from tests.courses.builders import home_page_make

    return home_page_make()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The registry consumes statements after they commit: run those callbacks."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
