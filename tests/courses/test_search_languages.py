"""Search finds singular, plural and the programmes' acronyms, in either language."""

import pytest

from courses.search_backend import acronyms_for
from courses.selectors import course_search
from tests.courses.builders import course_make, course_translate, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(home_page):
    wam = course_make(title="Stockage sûr des munitions", programme_code="wam")
    programme = wam.get_parent().specific
    programme.title = "Gestion des armes et des munitions"
    publish(programme)
    wam = publish(wam.specific)  # indexed again with its programme's acronyms
    eod = course_make(title="Reconnaître les engins explosifs", programme_code="eod")
    programme = eod.get_parent().specific
    programme.title = "Neutralisation des engins explosifs (NEDEX / IEDD)"
    publish(programme)
    eod = publish(eod.specific)
    english = course_translate(wam, "en")
    english.title = "Safe storage of ammunition"
    publish(english)
    return {"wam": wam, "eod": eod, "wam_en": english}


def _titles(query):
    return {course.title for course in course_search(query=query)}


@pytest.mark.parametrize("query", ["munitions", "munition", "Munition"])
def test_singular_and_plural_find_the_same_course(courses, query):
    assert "Stockage sûr des munitions" in _titles(query)


@pytest.mark.parametrize("query", ["engin", "engins", "explosif"])
def test_french_words_are_found_whatever_their_ending(courses, query):
    assert "Reconnaître les engins explosifs" in _titles(query)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("EOD", "Reconnaître les engins explosifs"),
        ("NEDEX", "Reconnaître les engins explosifs"),
        ("IEDD", "Reconnaître les engins explosifs"),
        ("WAM", "Stockage sûr des munitions"),
        ("GMA", "Stockage sûr des munitions"),
        ("GMA", "Safe storage of ammunition"),
        ("wam", "Safe storage of ammunition"),
    ],
)
def test_programme_acronyms_are_found_in_either_language(courses, query, title):
    assert title in _titles(query)


def test_search_page_says_how_many(client, courses):
    response = client.get("/fr/learn/search/", {"q": "GMA"})
    assert response.status_code == 200
    assert "Stockage sûr des munitions" in response.content.decode()


def test_acronyms_in_both_languages():
    assert acronyms_for("Risk education for communities") == "EORE EREE"
    assert acronyms_for("Gestion des armes et des munitions") == "WAM GMA"
    assert acronyms_for("EOD level 2") == "EOD NEDEX"
    assert acronyms_for("Premiers secours") == ""
