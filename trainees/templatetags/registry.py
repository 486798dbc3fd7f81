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
