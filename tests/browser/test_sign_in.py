import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory, totp_code, totp_enable

HEADINGS = {
    "fr": {"my_learning": "Mon apprentissage", "code": "Authentification à deux facteurs"},
    "en": {"my_learning": "My learning", "code": "Two-Factor Authentication"},
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_trainee_signs_in_and_sees_my_learning(page, sign_in, language):
    UserFactory(username="awa", role="trainee")
    sign_in("awa", PASSWORD, language)
    expect(page).to_have_url(re.compile(f"/{language}/my-learning/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language]["my_learning"])


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role", ["trainer", "lead_trainer", "coordinator", "administrator"])
def test_staff_sign_in_asks_for_the_second_factor(page, sign_in, role, language):
    user = UserFactory(username="staff", role=role)
    secret = totp_enable(user)
    sign_in("staff", PASSWORD, language)
    expect(page).to_have_url(re.compile(f"/{language}/accounts/2fa/authenticate/$"))
    code = page.get_by_label(re.compile("Code"))
    code.fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/my-learning/$"))
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/admin/$"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_without_second_factor_is_sent_to_set_one_up(page, sign_in, language):
    UserFactory(username="staff", role="trainer")
    sign_in("staff", PASSWORD, language)
    expect(page).to_have_url(re.compile(f"/{language}/accounts/2fa/totp/activate/$"))
    page.goto(f"/{language}/my-learning/")
    expect(page).to_have_url(re.compile(f"/{language}/accounts/2fa/totp/activate/$"))


def test_trainee_cannot_open_the_admin(page, sign_in):
    # The admin (and its refusal) speaks the language the user chose.
    UserFactory(username="awa", role="trainee", preferred_language="en")
    sign_in("awa", PASSWORD, "en")
    expect(page).to_have_url(re.compile("/en/my-learning/$"))
    response = page.goto("/admin/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Access denied")
    expect(page.locator("main")).to_contain_text("The administration is for staff only.")


def test_keyboard_reaches_the_skip_link_first(page):
    page.goto("/en/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
