"""Scoring of one question from the stored page content; the browser only sends choice numbers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from courses.services import CourseError


@dataclass(frozen=True)
class Marked:
    block_id: str
    question: str
    chosen: tuple[int, ...]
    correct: bool
    feedback: tuple[str, ...]
    response_text: str


def question_blocks(stream) -> dict[str, object]:
    """Question-like blocks of a StreamField by block id."""
    return {
        block.id: block.value
        for block in stream
        if block.block_type in {"question", "knowledge_check"}
    }


def choices_parse(*, raw: list[str], value) -> tuple[int, ...]:
    """Choice numbers as sent by a form, checked against the question; forged values refused."""
    count = len(value["choices"])
    try:
        chosen = tuple(sorted({int(item) for item in raw}))
    except (TypeError, ValueError) as error:
        raise CourseError(_("This answer is not one of the choices offered.")) from error
    if any(index < 0 or index >= count for index in chosen):
        raise CourseError(_("This answer is not one of the choices offered."))
    if value["kind"] == "single" and len(chosen) > 1:
        raise CourseError(_("Choose only one answer to this question."))
    return chosen


def question_mark(*, block_id: str, value, chosen: tuple[int, ...]) -> Marked:
    choices = list(value["choices"])
    correct = {i for i, choice in enumerate(choices) if choice["correct"]}
    return Marked(
        block_id=block_id,
        question=str(value["question"]),
        chosen=chosen,
        correct=bool(chosen) and set(chosen) == correct,
        feedback=tuple(str(choices[i]["feedback"]) for i in chosen if choices[i]["feedback"]),
        response_text="[,]".join(str(i) for i in chosen),
    )


def choices_order_draw(*, value, rng) -> list[int]:
    """A random order of a question's choices for one attempt (stored choice indexes)."""
    order = list(range(len(value["choices"])))
    rng.shuffle(order)
    return order


def choices_from_positions(*, raw: list[str], order: list[int] | None, value) -> list[str]:
    """Choices as the page sends them (their position as shown) back to stored indexes, so
    that what the browser sends says nothing of the order the author wrote."""
    count = len(value["choices"])
    order = list(range(count)) if order is None else order
    if len(order) != count:
        raise CourseError(_("The assessment has changed since you started. Start again."))
    try:
        positions = [int(item) for item in raw]
    except (TypeError, ValueError) as error:
        raise CourseError(_("This answer is not one of the choices offered.")) from error
    if any(position < 0 or position >= count for position in positions):
        raise CourseError(_("This answer is not one of the choices offered."))
    return [str(order[position]) for position in positions]
