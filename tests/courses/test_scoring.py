"""Scoring is a pure function of the stored question and the chosen indexes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.services import CourseError
from courses.services.questions import choices_parse, question_mark


def value(correct: set[int], n: int, kind: str = "multiple") -> dict:
    return {
        "question": "Q",
        "kind": kind,
        "choices": [
            {"text": f"c{i}", "correct": i in correct, "feedback": f"f{i}"} for i in range(n)
        ],
    }


@given(
    n=st.integers(min_value=2, max_value=6),
    data=st.data(),
)
def test_correct_exactly_when_the_chosen_set_is_the_correct_set(n, data):
    index = st.integers(min_value=0, max_value=n - 1)
    correct = data.draw(st.sets(index, min_size=1))
    chosen = data.draw(st.sets(index))
    marked = question_mark(block_id="b", value=value(correct, n), chosen=tuple(sorted(chosen)))
    assert marked.correct == (chosen == correct)
    assert marked.feedback == tuple(f"f{i}" for i in sorted(chosen))


@given(raw=st.lists(st.text(max_size=3), max_size=4))
def test_parsed_choices_are_always_offered_ones(raw):
    try:
        chosen = choices_parse(raw=raw, value=value({0}, 3))
    except CourseError:
        return
    assert all(0 <= index < 3 for index in chosen)


def test_single_choice_refuses_two_answers():
    with pytest.raises(CourseError):
        choices_parse(raw=["0", "1"], value=value({0}, 3, kind="single"))
    assert choices_parse(raw=["1", "1"], value=value({0}, 3, kind="single")) == (1,)
