from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from lms.core.typography import NNBSP
from lms.core.typography import typography as _typography

register = template.Library()


@register.filter(needs_autoescape=True)
def typography(value, autoescape=True):
    """French spacing before : ; ! ? in text assembled by a template (``{{ x|typography }}``)."""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(_typography(str(text), get_language()))  # noqa: S308 - escaped above


@register.simple_tag
def colon():
    """The colon after a label: "Période : …" in French, "Period: …" in English."""
    return mark_safe(NNBSP + ":" if (get_language() or "").startswith("fr") else ":")  # noqa: S308
