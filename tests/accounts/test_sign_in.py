import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.factories import PASSWORD, totp_code, totp_enable

pytestmark = pytest.mark.django_db

LOGIN = "/fr/accounts/login/"


def test_trainee_signs_in_with_username(client, make_user):
    make_user(role="trainee", username="awa")
    response = client.post(LOGIN, {"login": "awa", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fr/my-learning/"


def test_trainee_signs_in_with_email(client, make_user):
    make_user(role="trainee", username="awa", email="awa@example.org")
    response = client.post(LOGIN, {"login": "awa@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/fr/my-learning/").status_code == 200


def test_wrong_password_is_refused_with_a_message_in_french(client, make_user):
    make_user(role="trainee", username="awa")
    response = client.post(LOGIN, {"login": "awa", "password": "wrong"})
    assert response.status_code == 200
    assert "incorrect" in response.content.decode()


def test_sign_in_is_rate_limited(client, make_user):
    make_user(role="trainee", username="awa")
    bodies = [
        client.post(LOGIN, {"login": "awa", "password": f"wrong{i}"}).content.decode()
        for i in range(6)
    ]
    too_many = "Trop de tentatives de connexion échouées"
    assert not any(too_many in body for body in bodies[:5])
    assert too_many in bodies[5]
    # Even the right password is refused while the limit holds.
    response = client.post(LOGIN, {"login": "awa", "password": PASSWORD})
    assert too_many in response.content.decode()
    assert client.get("/fr/my-learning/").status_code == 302


def test_signup_with_email_sends_a_verification_message(client, db):
    response = client.post(
        "/en/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="newcomer@example.org").verified is False
    assert len(mail.outbox) == 1
    assert "newcomer@example.org" in mail.outbox[0].to


def test_signup_makes_a_trainee(client, db):
    from lms.accounts.models import User

    client.post(
        "/en/accounts/signup/",
        {
            "username": "no.mail",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    user = User.objects.get(username="no.mail")
    assert list(user.groups.values_list("name", flat=True)) == ["trainee"]
    assert len(mail.outbox) == 0


def test_password_reset_sends_a_link(client, make_user):
    make_user(role="trainee", username="awa", email="awa@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "awa@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.parametrize("role", ["trainer", "lead_trainer", "coordinator", "administrator"])
def test_staff_without_second_factor_must_set_one_up(client, make_user, role):
    make_user(role=role, username="staff")
    client.post(LOGIN, {"login": "staff", "password": PASSWORD})
    response = client.get("/fr/my-learning/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/2fa/totp/activate/"
    assert client.get("/admin/").status_code == 302


def test_trainee_needs_no_second_factor(client, make_user):
    make_user(role="trainee", username="awa")
    client.post(LOGIN, {"login": "awa", "password": PASSWORD})
    assert client.get("/fr/my-learning/").status_code == 200


def test_staff_with_totp_is_asked_for_the_code(client, make_user):
    user = make_user(role="trainer", username="staff")
    secret = totp_enable(user)
    response = client.post(LOGIN, {"login": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/2fa/authenticate/"
    # Not signed in until the code is given.
    assert client.get("/fr/my-learning/").status_code == 302
    wrong = client.post("/fr/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/fr/my-learning/").status_code == 200
    assert client.get("/admin/").status_code == 200
