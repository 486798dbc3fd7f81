"""The installable app: manifest in French and English, the service worker from the root."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name", "short"),
    [
        ("fr", "Formation à l'action contre les mines", "Formation"),
        ("en", "Mine action training", "Training"),
    ],
)
def test_manifest_in_each_language(client, language, name, short):
    with translation.override(language):
        url = reverse("courses:offline_manifest")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["short_name"], manifest["lang"]) == (name, short, language)
    assert manifest["start_url"] == f"/{language}/my-learning/"
    assert manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert all(icon["src"].startswith("/static/offline/") for icon in manifest["icons"])


def test_service_worker_is_served_from_the_root_with_same_origin_files_only(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'importScripts("/static/offline/queue.js")' in body
    assert "http://" not in body and "https://" not in body


def test_every_page_links_the_manifest_and_the_offline_scripts(client, home_page):
    html = client.get("/fr/").content.decode()
    assert '<link rel="manifest" href="/fr/learn/offline/manifest.webmanifest">' in html
    assert '<script src="/static/offline/offline.js" defer></script>' in html
    assert 'name="lms-account"' not in html  # nobody signed in


def test_fallback_page_says_the_assessment_needs_a_connection(client):
    with translation.override("en"):
        html = client.get(reverse("courses:offline_unavailable")).content.decode()
    assert "The final assessment needs a connection: it is scored on the server." in html


@pytest.mark.parametrize(("language", "other"), [("fr", "en"), ("en", "fr")])
def test_the_offline_words_are_in_the_page_language_only(client, home_page, language, other):
    """Every word the offline scripts show comes from the page (#offline-ui), in its
    language: the same attributes on the other language's page say something else."""

    def words(code):
        html = client.get(f"/{code}/").content.decode()
        block = re.search(r'<div id="offline-ui"(.*?)></div>', html, re.S).group(1)
        return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', block))

    mine, theirs = words(language), words(other)
    assert mine["language"] == language
    assert mine.keys() == theirs.keys()
    same = {k for k in mine if mine[k] == theirs[k] and k != "language"}
    assert same == set(), same
    expected = {
        "fr": "La mémoire de ce téléphone est pleine",
        "en": "This phone’s storage is full",
    }
    assert mine["storage-full"].startswith(expected[language])
