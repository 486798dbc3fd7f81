from django import template

register = template.Library()


@register.simple_tag
def answer_for(answers, block_id):
    """The choices already given to a knowledge check, or None when not answered yet."""
    if not answers:
        return None
    return answers.get(block_id)


@register.simple_tag
def check_state(answers, block_id, value):
    """The latest try at a knowledge check: the choices given and whether they were right.

    Which choice is correct is shown only once the trainee has found it.
    """
    chosen = answer_for(answers, block_id)
    if chosen is None:
        return {"chosen": None, "correct": False}
    from courses.services.questions import question_mark

    marked = question_mark(block_id=block_id, value=value, chosen=tuple(chosen))
    return {"chosen": list(chosen), "correct": marked.correct}
