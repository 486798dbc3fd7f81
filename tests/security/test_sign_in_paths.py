"""One way to sign in: every view that accepts a password is allauth's, and a staff password
alone (without the second factor) opens no session and no page, whatever URL it is sent to."""

import base64
import contextlib
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import views as auth_views
from django.forms import PasswordInput
from django.test import Client
from django.urls import resolve
from wagtail.admin.views import account as wagtail_account

from tests.factories import PASSWORD, totp_code, totp_enable

from .urlwalk import routes

pytestmark = pytest.mark.django_db

STAFF = "coordinateur"
CREDENTIALS = {
    "login": STAFF,
    "username": STAFF,
    "email": f"{STAFF}@example.org",
    "password": PASSWORD,
    "oldpassword": PASSWORD,
    "password1": PASSWORD,
    "password2": PASSWORD,
    "new_password1": PASSWORD,
    "new_password2": PASSWORD,
    "remember": "on",
}
BASIC = "Basic " + base64.b64encode(f"{STAFF}:{PASSWORD}".encode()).decode()
_PASSWORD_INPUT = re.compile(r"<input[^>]*type=[\"']?password", re.I)

# What each view that takes a password does with it. A new one fails the walk below until it
# is reviewed and listed here.
REVIEWED = {
    # allauth: rate-limited, and for staff the second factor is asked before any session.
    "allauth.account.views._login.LoginView": "sign-in (second factor for staff)",
    "allauth.account.views._signup.SignupView": "a new trainee account, not a sign-in",
    "allauth.account.views._reauthenticate.ReauthenticateView": "needs a session already",
    "allauth.account.views._password_change.PasswordChangeView": "needs a session already",
    "allauth.account.views._password_change.PasswordSetView": "needs a session already",
    "allauth.account.views._password_reset.PasswordResetFromKeyView": "sets, never signs in",
    # Wagtail's privacy passwords unlock one page or document, they are no account's.
    "wagtail.views.authenticate_with_password": "a page's view restriction",
    "wagtail.documents.views.serve.authenticate_with_password": "a document's restriction",
}


def _name(view) -> str:
    return f"{view.__module__}.{view.__qualname__}"


def _takes_password(route) -> bool:
    """A view whose form has a password field (allauth builds forms from its settings)."""
    view_class = route.view_class
    form_class = getattr(view_class, "form_class", None)
    if isinstance(view_class, type) and hasattr(view_class, "get_form_class"):
        # A view whose form needs a request keeps its form_class.
        with contextlib.suppress(Exception):
            form_class = view_class().get_form_class() or form_class
    if form_class is None:
        return False
    fields = getattr(form_class, "base_fields", {})
    return any(isinstance(field.widget, PasswordInput) for field in fields.values())


@pytest.fixture
def staff(make_user):
    user = make_user(role="coordinator", username=STAFF)
    return user, totp_enable(user)


def test_every_view_that_takes_a_password_is_reviewed_and_wagtails_form_is_not_served(
    client, staff
):
    found, served = set(), set()
    all_routes = list(routes())
    for route in all_routes:
        view = route.view_class
        takes = _takes_password(route)
        served_view = resolve(route.path).func
        if served_view is route.view:
            body = client.get(route.path).content.decode(errors="replace")
            if takes or _PASSWORD_INPUT.search(body):
                served.add(_name(getattr(served_view, "view_class", served_view)))
        if takes:
            found.add(_name(view))
    # The walk finds Wagtail's own sign-in forms (the admin's, the one for pages restricted to
    # signed-in users) and its password reset in the URLconf...
    assert _name(wagtail_account.LoginView) in found
    assert _name(auth_views.LoginView) in found
    assert _name(wagtail_account.PasswordResetConfirmView) in found
    assert issubclass(wagtail_account.LoginView, auth_views.LoginView)
    # ...but none of them answers: every path that takes a password is a reviewed one.
    assert served, "the walk found no sign-in form at all"
    assert "allauth.account.views._login.LoginView" in served
    assert served <= set(REVIEWED), sorted(served - set(REVIEWED))
    assert resolve("/admin/login/").func is resolve("/fr/_util/login/").func
    assert len(all_routes) > 300  # Wagtail's admin, allauth, the LRS and ours


def test_a_staff_password_alone_opens_nothing_on_any_url(staff):
    anonymous, basic = Client(), Client(HTTP_AUTHORIZATION=BASIC)
    for route in routes():
        poster = Client(HTTP_AUTHORIZATION=BASIC)
        response = poster.post(route.path, CREDENTIALS)
        assert response.status_code != 500, route.path
        assert "_auth_user_id" not in poster.session, route.path
        assert poster.get("/admin/").status_code != 200, route.path
        # HTTP Basic with the staff password opens no page that is closed to everyone.
        if basic.get(route.path).status_code == 200:
            assert anonymous.get(route.path).status_code == 200, route.path


@pytest.mark.parametrize("path", ["/admin/login/", "/fr/_util/login/"])
def test_wagtails_sign_in_forms_send_to_the_one_sign_in(client, staff, path):
    response = client.get(f"{path}?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/login/?next=/admin/pages/"
    # A password posted there as in the probe signs nobody in, however often it is tried.
    for _ in range(3):
        response = client.post(path, {"username": STAFF, "password": PASSWORD})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


def test_wagtails_sign_in_keeps_the_destination(client, staff):
    assert client.get("/admin/login/")["Location"] == "/fr/accounts/login/?next=/admin/"
    assert client.get("/fr/_util/login/")["Location"] == "/fr/accounts/login/?next=/"
    assert client.get("/admin/password_reset/")["Location"] == "/fr/accounts/password/reset/"
    assert client.get("/fr/registry/people/").status_code == 302


def test_the_one_sign_in_asks_staff_for_the_second_factor(client, staff):
    user, secret = staff
    response = client.post("/fr/accounts/login/", {"login": STAFF, "password": PASSWORD})
    assert response["Location"] == "/fr/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get("/fr/registry/people/").status_code == 302
    client.post("/fr/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_wrong_passwords_on_the_one_sign_in_are_throttled_for_staff(client, staff):
    for attempt in range(5):
        client.post("/fr/accounts/login/", {"login": STAFF, "password": f"wrong-{attempt}"})
    response = client.post("/fr/accounts/login/", {"login": STAFF, "password": PASSWORD})
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_reset_password_signs_nobody_in(client, staff):
    user, _secret = staff
    key = default_token_generator.make_token(user)
    url = f"/fr/accounts/password/reset/key/{user_pk_to_url_str(user)}-{key}/"
    response = client.get(url)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    response = client.post(
        form_url, {"password1": "a-new-long-pass-phrase", "password2": "a-new-long-pass-phrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-phrase")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_staff_without_a_second_factor_reach_only_its_set_up(client, make_user):
    """Signed in with a password and no authenticator yet: every page that is closed to an
    anonymous visitor stays closed, except the pages that set the second factor up."""
    make_user(role="administrator", username="nouvel.admin")
    client.post("/fr/accounts/login/", {"login": "nouvel.admin", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    anonymous = Client()
    opened = set()
    for route in routes():
        if route.path.startswith(("/fr/accounts/logout/", "/admin/logout/")):
            continue
        opens = client.get(route.path).status_code == 200
        if opens and anonymous.get(route.path).status_code != 200:
            opened.add(route.name)
    assert opened <= {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_change_password",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "javascript-catalog",
    }, opened
    assert "mfa_activate_totp" in opened


def test_staff_change_their_password_through_the_one_sign_in(client, staff):
    user, _secret = staff
    client.force_login(user)
    body = client.get("/admin/account/").content.decode()
    assert 'href="/fr/accounts/password/change/"' in body
    assert 'name="old_password"' not in body  # Wagtail's own password form is off
