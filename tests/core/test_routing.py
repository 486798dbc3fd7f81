"""Page routing from the home page: one query for the whole chain, Wagtail's answers kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CoursePage
from courses.services.enrolment import enrolment_create
from tests.courses.builders import course_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(client, home_page, make_user):
    """A course with modules, and a signed-in trainee enrolled in it (modules need both)."""
    course = course_make()
    trainee = make_user(role="trainee")
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    return course


def _page_queries(captured) -> int:
    return sum('FROM "wagtailcore_page"' in q["sql"] for q in captured.captured_queries)


def test_a_module_page_is_found_with_a_constant_number_of_page_queries(client, course):
    module = course.get_children().live().last().specific
    with CaptureQueriesContext(connection) as deep:
        response = client.get(module.url)
    assert response.status_code == 200
    assert module.title in response.content.decode()
    with CaptureQueriesContext(connection) as shallow:
        assert client.get("/fr/catalogue/").status_code == 200
    # The module is two levels below the catalogue: Wagtail alone would read one page per level.
    assert _page_queries(deep) - _page_queries(shallow) <= 2


def test_a_draft_page_is_not_found_and_an_unknown_slug_neither(client, course):
    module = course.get_children().live().last().specific
    url = module.url
    module.unpublish()
    assert client.get(url).status_code == 404
    assert client.get(course.url + "no-such-module/").status_code == 404
    assert client.get("/fr/catalogue/no-such-programme/no-such-course/").status_code == 404


def test_a_live_page_below_a_draft_parent_is_served_as_wagtail_does(client, course):
    module = course.get_children().live().last().specific
    url = module.url
    CoursePage.objects.get(pk=course.pk).unpublish()
    assert client.get(course.url).status_code == 404
    assert client.get(url).status_code == 200


def test_a_renamed_slug_routes_to_the_new_address_only(client, course):
    old_url = course.url
    course.slug = "renamed-course"
    course.save_revision().publish()
    course.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert course.url.endswith("/renamed-course/")
    assert client.get(course.url).status_code == 200
