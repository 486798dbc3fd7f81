import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from lms.accounts.models import FieldOffice, User
from lms.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        User.objects.count(),
        Page.objects.count(),
        FieldOffice.objects.count(),
        list(Site.objects.values_list("root_page_id", flat=True)),
        sorted(User.objects.values_list("username", "password")),
    )


def test_demo_data_gives_every_role_in_both_languages_and_is_idempotent(capsys):
    call_command("demo_data")
    first = _snapshot()
    for role in Role:
        languages = set(
            User.objects.filter(groups__name=role.value).values_list(
                "preferred_language", flat=True
            )
        )
        assert languages == {"fr", "en"}, role
    assert Site.objects.get(is_default_site=True).root_page.specific.title.startswith("Formation")
    call_command("demo_data")
    assert _snapshot() == first
    assert "demo-password-2026" in capsys.readouterr().out
