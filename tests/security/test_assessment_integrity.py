"""Final assessments: questions and choices in an order of each attempt's own, the same when
the attempt is resumed, and neither the order nor the markup gives the key away (the authors
of the demo courses, like many, wrote the right answer first)."""

import re

import pytest

from courses.models import AssessmentAttempt
from courses.selectors import attempt_questions
from courses.services.assessment import attempt_start, attempt_submit, attempt_token
from courses.services.enrolment import enrolment_create
from tests.courses.builders import attempt_answers, course_make

pytestmark = pytest.mark.django_db

QUESTIONS, CHOICES = 10, 3
_INPUT = re.compile(r'<input type="radio" name="q-(?P<q>[^"]+)" value="(?P<v>\d+)"')
_LABEL = re.compile(r'<label for="a-[^"]+">(?P<text>[^<]+)</label>')


@pytest.fixture
def course(home_page):
    # Every question of the bank has its right answer written first.
    return course_make(questions=QUESTIONS, per_attempt=QUESTIONS, pass_mark=80)


def _attempt(course, make_user):
    trainee = make_user(role="trainee")
    enrolment = enrolment_create(user=trainee, course=course)
    return trainee, attempt_start(enrolment=enrolment, course=course)


def test_ticking_the_first_choice_everywhere_scores_what_chance_allows(course, make_user):
    trainees = 12
    correct = 0
    for _ in range(trainees):
        trainee, attempt = _attempt(course, make_user)
        done = attempt_submit(
            user=trainee,
            token=attempt_token(attempt=attempt),
            course=course,
            responses={block_id: ["0"] for block_id in attempt.question_ids},
        )
        correct += done.score_raw
    # Chance is one in three: 40 of 120 expected, standard deviation 5.2. The bounds are more
    # than four deviations away; the right-answer-first order would score all 120.
    assert 15 <= correct <= 70, correct


def test_the_right_answers_as_shown_still_pass(course, make_user):
    trainee, attempt = _attempt(course, make_user)
    done = attempt_submit(
        user=trainee,
        token=attempt_token(attempt=attempt),
        course=course,
        responses=attempt_answers(attempt, course),
    )
    assert done.score_raw == QUESTIONS and done.passed
    # Responses are kept as the choices written in the question, whatever the order shown.
    assert all(chosen == [0] for chosen in done.responses.values())


def test_each_attempt_has_an_order_of_its_own_kept_when_resumed(client, course, make_user):
    trainee, attempt = _attempt(course, make_user)
    client.force_login(trainee)
    url = f"/en/learn/courses/{course.translation_key}/assessment/{attempt.public_id}/"
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    assert _LABEL.findall(first) == _LABEL.findall(again)
    stored = AssessmentAttempt.objects.get(pk=attempt.pk)
    assert attempt_questions(attempt=stored, course=course) == attempt_questions(
        attempt=attempt, course=course
    )
    assert sorted(stored.choice_orders) == sorted(stored.question_ids)
    assert all(sorted(order) == list(range(CHOICES)) for order in stored.choice_orders.values())
    # Ten questions of three choices: the odds that every one shows the written order are
    # one in 60 million.
    written = [list(range(CHOICES))] * QUESTIONS
    assert [stored.choice_orders[q] for q in stored.question_ids] != written
    _trainee, other = _attempt(course, make_user)
    assert (other.question_ids, other.choice_orders) != (stored.question_ids, stored.choice_orders)


def test_the_page_numbers_choices_by_position_only(client, course, make_user):
    trainee, attempt = _attempt(course, make_user)
    client.force_login(trainee)
    url = f"/en/learn/courses/{course.translation_key}/assessment/{attempt.public_id}/"
    body = client.get(url).content.decode()
    values: dict[str, list[str]] = {}
    for match in _INPUT.finditer(body):
        values.setdefault(match["q"], []).append(match["v"])
    # Each question's inputs are 0, 1, 2 in the order shown: they say where a choice is on
    # the page, nothing of where it is in the question as written.
    assert values == {q: ["0", "1", "2"] for q in attempt.question_ids}
    assert "correct" not in body.lower()
    shown = [q["id"] for q in attempt_questions(attempt=attempt, course=course)]
    assert list(values) == shown == attempt.question_ids


def test_a_position_that_was_not_shown_is_refused(client, course, make_user):
    trainee, attempt = _attempt(course, make_user)
    client.force_login(trainee)
    url = f"/en/learn/courses/{course.translation_key}/assessment/{attempt.public_id}/"
    answers = {f"q-{q}": str(CHOICES) for q in attempt.question_ids}
    response = client.post(url, {"token": attempt_token(attempt=attempt), **answers}, follow=True)
    assert "This answer is not one of the choices offered." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
