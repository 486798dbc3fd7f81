import pytest

from lms.accounts.models import User
from lms.core.models import AuditEvent
from tests.factories import totp_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, make_user):
    trainer = make_user(role="trainer", username="trainer")
    totp_enable(trainer)
    client.force_login(trainer)
    return client


def test_trainer_creates_an_account_without_email(trainer_client):
    response = trainer_client.post(
        "/en/accounts/trainees/new/",
        {"given_names": "Fatoumata", "family_name": "Keïta", "email": "", "language": "fr"},
    )
    assert response.status_code == 200
    user = User.objects.get(username="fatoumata.keita")
    assert user.email == ""
    assert user.must_change_password
    assert list(user.groups.values_list("name", flat=True)) == ["trainee"]
    password = response.context["issued"][0].initial_password
    assert password in response.content.decode()
    assert user.check_password(password)
    assert AuditEvent.objects.filter(action="account.create", target_id=str(user.pk)).exists()


def test_initial_password_must_be_changed_at_first_sign_in(client, trainer_client):
    response = trainer_client.post(
        "/en/accounts/trainees/new/",
        {"given_names": "Moussa", "family_name": "Diarra", "language": "en"},
    )
    password = response.context["issued"][0].initial_password
    trainer_client.logout()
    client.post("/en/accounts/login/", {"login": "moussa.diarra", "password": password})
    response = client.get("/en/my-learning/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/change/"
    client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": "my-own-pass-phrase",
            "password2": "my-own-pass-phrase",
        },
    )
    assert User.objects.get(username="moussa.diarra").must_change_password is False
    assert client.get("/en/my-learning/").status_code == 200


def test_trainer_creates_accounts_from_a_list(trainer_client):
    response = trainer_client.post(
        "/fr/accounts/trainees/new-list/",
        {
            "lines": "Awa; Traoré\nOumar, Maïga, oumar@example.org\n\nAwa;Traoré",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    names = set(
        User.objects.filter(created_by__username="trainer").values_list("username", flat=True)
    )
    assert names == {"awa.traore", "oumar.maiga", "awa.traore2"}


def test_a_wrong_line_creates_no_account_and_names_the_line(trainer_client):
    response = trainer_client.post(
        "/en/accounts/trainees/new-list/",
        {"lines": "Awa; Traoré\nOnly-one-column\nOumar; Maïga; not-an-email", "language": "en"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Line 2: expected" in body
    assert "Line 3: “not-an-email” is not an e-mail address." in body
    assert not User.objects.filter(created_by__username="trainer").exists()


def test_trainee_cannot_create_accounts(client, make_user):
    client.force_login(make_user(role="trainee"))
    assert client.get("/en/accounts/trainees/new/").status_code == 403
