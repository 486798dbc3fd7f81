from django import template

register = template.Library()


@register.simple_tag
def answer_for(answers, block_id):
    """The choices already given to a knowledge check, or None when not answered yet."""
    if not answers:
        return None
    return answers.get(block_id)
