from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localised(value) -> str:
    """A language map ({"fr": ..., "en": ...}) in the active language, else any language."""
    if not isinstance(value, dict) or not value:
        return value or ""
    language = (get_language() or "fr").split("-")[0]
    for key, text in value.items():
        if key.split("-")[0] == language:
            return text
    return next(iter(value.values()))


@register.filter
def range_note(item) -> str:
    """The range of a figure of people while pairs await review ("between 1,431 and 1,469,
    expected 1,452; 38 pairs awaiting review"), or "" when none waits among its people."""
    from trainees.reports.ranges import range_note as note
    from trainees.reports.ranges import range_of

    return note(range_of(item))
