import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [("/fr/", "fr", "Accueil formation"), ("/en/", "en", "Training home")],
)
def test_home_page_answers_in_both_languages(client, home_page, path, lang, title):
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body
    assert f"<h1>{title}</h1>" in body


def test_root_redirects_to_french_by_default(client, home_page):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_language_switcher_points_to_the_same_page_in_the_other_language(client, home_page):
    body = client.get("/fr/accounts/login/").content.decode()
    assert 'href="/en/accounts/login/" hreflang="en"' in body


@pytest.mark.parametrize(
    ("path", "text"),
    [("/fr/nulle-part/", "Page introuvable"), ("/en/nowhere/", "Page not found")],
)
def test_not_found_page_in_both_languages(client, home_page, path, text):
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.content.decode()


def test_server_error_page_is_rendered(client, home_page, settings):
    from lms.core.views import server_error

    response = server_error(client.get("/fr/").wsgi_request)
    assert response.status_code == 500
    assert "Un problème est survenu" in response.content.decode()


def test_my_learning_requires_sign_in(client, home_page):
    response = client.get("/en/my-learning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("path", ["/fr/", "/en/accounts/login/", "/fr/accounts/signup/"])
def test_pages_load_nothing_from_another_site(client, home_page, path):
    body = client.get(path).content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not re.match(r"^(https?:)?//", url), url


@pytest.mark.parametrize("path", ["/fr/", "/en/accounts/login/"])
def test_text_page_weight_is_under_150_kb(client, home_page, path):
    body = client.get(path).content
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', body)
    total = len(body)
    for asset in assets:
        found = finders.find(asset.decode().removeprefix("/static/"))
        assert found, asset
        with open(found, "rb") as handle:
            total += len(handle.read())
    assert total < 150 * 1024


def test_pages_have_landmarks_and_a_skip_link(client, home_page):
    body = client.get("/en/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in body
    assert '<main id="main"' in body
    assert 'role="banner"' in body and 'role="contentinfo"' in body
    assert '<nav aria-label="Main"' in body


def test_courses_link_without_a_catalogue_says_so(client, home_page):
    response = client.get("/en/learn/")
    assert response.status_code == 404
    assert "No course is published yet." in response.content.decode()


def test_home_page_links_to_the_courses_and_certificate_check(client, home_page):
    body = client.get("/fr/").content.decode()
    assert 'href="/fr/learn/">Parcourir les cours</a>' in body
    assert 'href="/fr/learn/certificates/verify/"' in body
