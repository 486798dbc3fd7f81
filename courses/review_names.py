"""The course review workflow and its task, named in the reader's language.

Why: Wagtail shows a workflow's and a task's stored ``name`` as it is, in every admin screen
("Soumettre à …", the status panel, the moderation dashboard, notifications, history); a
stored name is in one language, the admin is in the user's. The platform's own workflow
(created by ``courses/migrations/0002_course_review_workflow``) is therefore read back
translated: any stored form of its names (the English one, the French one, or the bilingual
one earlier migrations wrote) becomes the translation of the English name in the language
active when the row is read (the user's, set before any query of a request). A plain string,
not a lazy one: Wagtail's ``__str__`` returns the name. A name an administrator types in is
shown as typed.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

#: English name (the msgid) -> the French one; both are accepted as stored forms.
_NAMES = {
    gettext_noop("Course review"): "Relecture du cours",
    gettext_noop("Lead trainer approval"): "Approbation du formateur principal",
}

#: Every stored form of the names -> the English name (the msgid) it is shown as.
DISPLAY = {
    form: english
    for english, french in _NAMES.items()
    for form in (english, french, f"{french} / {english}")
}


def review_name_forms(name: str) -> list[str]:
    """Every stored form of the platform's name ``name`` (itself if it is not one of them):
    what a look-up by name must accept, since an admin form saved in French stores French."""
    shown = DISPLAY.get(name)
    return [form for form, english in DISPLAY.items() if english == shown] if shown else [name]


def review_name_display(value, expression=None, connection=None):
    """A stored workflow or task name as shown: translated if it is the platform's own."""
    if isinstance(value, str) and value in DISPLAY:
        return gettext(DISPLAY[value])
    return value


def review_names_install() -> None:
    """Read ``Workflow.name`` and ``Task.name`` through :func:`review_name_display`.

    A database converter on the two fields (Django calls a field's ``from_db_value`` for every
    row it reads, the subclasses of ``Task`` included): every query and every screen gets the
    translated name, and writes store it in the language of the moment, still a known form.
    """
    from wagtail.models import Task, Workflow

    for model in (Workflow, Task):
        model._meta.get_field("name").from_db_value = review_name_display
