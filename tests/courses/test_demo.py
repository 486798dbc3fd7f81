import pytest
from django.core.management import call_command

from courses.models import CoursePage, ModulePage
from courses.services.questions import question_blocks

pytestmark = pytest.mark.django_db


def test_demo_courses_in_both_languages_and_idempotent():
    call_command("demo_data")
    counts = (CoursePage.objects.count(), ModulePage.objects.count())
    call_command("demo_data")
    assert (CoursePage.objects.count(), ModulePage.objects.count()) == counts
    french = CoursePage.objects.filter(locale__language_code="fr", live=True)
    english = CoursePage.objects.filter(locale__language_code="en", live=True)
    assert french.count() == english.count() == 4
    assert set(french.values_list("translation_key", flat=True)) == set(
        english.values_list("translation_key", flat=True)
    )
    for course in french:
        en = course.get_translation(english.first().locale)
        assert set(question_blocks(course.question_bank)) == set(question_blocks(en.question_bank))
        assert len(question_blocks(course.question_bank)) >= 4
        modules = ModulePage.objects.child_of(course).live()
        assert modules.count() >= 3
        assert any(m.knowledge_checks() for m in modules)
    titles = set(english.values_list("title", flat=True))
    assert "Safe storage of ammunition" in titles
    assert "IED threat mitigation – pre-deployment" in titles


def test_demo_catalogue_answers_in_both_languages(client):
    call_command("demo_data")
    fr = client.get("/fr/catalogue/")
    en = client.get("/en/catalogue/")
    assert fr.status_code == en.status_code == 200
    assert "Stockage sûr des munitions" in fr.content.decode()
    assert "Safe storage of ammunition" in en.content.decode()
