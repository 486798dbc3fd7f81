import pytest

from tests.factories import FieldOfficeFactory, totp_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(role="administrator", username="admin")
    totp_enable(admin)
    client.force_login(admin)
    return client


def test_administrator_scopes_a_trainer_to_field_offices(admin_client, make_user):
    gao = FieldOfficeFactory(code="gao", name="Gao")
    trainer = make_user(role="trainer", username="moussa", email="")
    page = admin_client.get(f"/admin/users/edit/{trainer.pk}/")
    assert page.status_code == 200
    assert 'name="field_offices"' in page.content.decode()
    response = admin_client.post(
        f"/admin/users/edit/{trainer.pk}/",
        {
            "username": "moussa",
            "email": "",
            "first_name": "Moussa",
            "last_name": "Coulibaly",
            "field_offices": [gao.pk],
            "preferred_language": "fr",
            "is_active": "on",
            "groups": list(trainer.groups.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    trainer.refresh_from_db()
    assert list(trainer.field_offices.all()) == [gao]
    assert trainer.email == ""


def test_administrator_manages_field_offices(admin_client):
    response = admin_client.post(
        "/admin/snippets/accounts/fieldoffice/add/", {"name": "Ménaka", "code": "menaka"}
    )
    assert response.status_code == 302
    from lms.accounts.models import FieldOffice

    assert FieldOffice.objects.filter(code="menaka", name="Ménaka").exists()


def test_coordinator_cannot_manage_users(client, make_user):
    coordinator = make_user(role="coordinator")
    totp_enable(coordinator)
    client.force_login(coordinator)
    response = client.get("/admin/users/")
    assert response.status_code in {302, 403}
