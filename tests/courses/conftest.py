import pytest

from tests.courses.builders import course_make


@pytest.fixture
def course(home_page):
    return course_make()


@pytest.fixture
def trainee(make_user):
    return make_user(role="trainee", username="awa")
