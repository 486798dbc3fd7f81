import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, Site

from lms.core.models import HomePage
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and TOTP replay guards live in the cache: each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def migration_data(transactional_db):
    """What the data migrations make (roles, the default locale, the page tree's root).

    A transactional test starts from a flushed database when another one ran before it.
    """
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from lms.accounts.services import roles_sync

    roles_sync(group_model=Group, permission_model=Permission)
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


@pytest.fixture
def make_user(db):
    def make(role=None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def home_page(db):
    """A French home page and its English translation as the default site's root."""
    fr = Locale.objects.get_or_create(language_code="fr")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Accueil formation", slug="accueil", intro="<p>Bienvenue</p>", locale=fr
        )
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    english = home.copy_for_translation(en)
    english.title, english.slug, english.intro = "Training home", "training-home", "<p>Welcome</p>"
    english.save_revision().publish()
    return home
