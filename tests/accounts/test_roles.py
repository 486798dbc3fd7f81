import pytest
from django.contrib.auth.models import Group

from lms.accounts.roles import STAFF_ROLES, Role
from lms.accounts.selectors import user_field_offices, user_roles
from tests.factories import FieldOfficeFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrations():
    assert {g.name for g in Group.objects.filter(name__in=[r.value for r in Role])} == {
        r.value for r in Role
    }


@pytest.mark.parametrize("role", list(Role))
def test_only_staff_roles_may_open_the_wagtail_admin(make_user, role):
    user = make_user(role=role.value)
    assert user.has_perm("wagtailadmin.access_admin") is (role in STAFF_ROLES)


def test_trainee_cannot_open_the_admin(client, make_user):
    # The admin speaks the language the user chose, whatever the browser asks.
    client.force_login(make_user(role="trainee", preferred_language="en"))
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert "The administration is for staff only." in response.content.decode()


def test_roles_are_read_from_groups(make_user):
    user = make_user(role="coordinator")
    assert user_roles(user=user) == {Role.COORDINATOR}


def test_trainer_is_scoped_to_their_field_offices(make_user):
    gao, mopti, _kidal = (
        FieldOfficeFactory(code=c, name=c.title()) for c in ("gao", "mopti", "kidal")
    )
    trainer = make_user(role="trainer")
    trainer.field_offices.set([gao, mopti])
    lead = make_user(role="lead_trainer")
    assert set(user_field_offices(user=trainer)) == {gao, mopti}
    assert user_field_offices(user=lead).count() == 3
