"""The report filters: one form turns query parameters into a :class:`CountScope`.

The dashboard, the exports, the drill-down, publication and the JSON API all read their
filters here, so a filter means the same everywhere and an unknown one is refused everywhere.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from uuid import UUID

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import FieldOffice
from trainees.models import (
    AGE_BAND_SCHEMES,
    EventKind,
    Organisation,
    OrganisationCategory,
    Place,
    Programme,
    TrainingEvent,
)
from trainees.selectors.counting import CountScope

#: Parameters that are not filters but are read by the views next to them.
NON_FILTER_PARAMETERS = frozenset({"page", "by", "key", "format"})

#: The figures a breakdown can be of (people, by outcome token), in display order.
BREAKDOWN_FIGURES = ("trained", "briefed", "attended", "completed", "passed", "failed")

FIGURE_LABELS = {
    "trained": _("People trained"),
    "briefed": _("People briefed"),
    "attended": _("People who took part"),
    "completed": _("People who completed"),
    "passed": _("People who passed"),
    "failed": _("People who failed"),
}

#: Filter names, in the order of the form (the API accepts the same names).
FILTER_NAMES = (
    "date_from",
    "date_to",
    "programme",
    "course",
    "kind",
    "organisation_category",
    "organisation",
    "field_office",
    "place",
    "age_scheme",
    "figure",
)


def _course_choices() -> list[tuple[str, str]]:
    courses: dict[str, str] = {}
    rows = (
        TrainingEvent.objects.exclude(course_public_id=None)
        .values_list("course_public_id", "course_title")
        .distinct()
    )
    for key, title in rows:
        courses.setdefault(str(key), title or str(key))
    from courses.models import CoursePage

    for key, title in CoursePage.objects.values_list("translation_key", "title"):
        courses.setdefault(str(key), title)
    return sorted(courses.items(), key=lambda item: item[1].casefold())


class ReportFilterForm(forms.Form):
    """Filters of every report. Empty fields do not filter."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    course = forms.ChoiceField(label=_("Course"), required=False)
    kind = forms.ChoiceField(label=_("Type of activity"), required=False)
    organisation_category = forms.ChoiceField(label=_("Organisation category"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    field_office = forms.ChoiceField(label=_("Field office"), required=False)
    place = forms.ChoiceField(label=_("Place"), required=False)
    age_scheme = forms.ChoiceField(label=_("Age bands"), required=False)
    figure = forms.ChoiceField(label=_("Breakdowns of"), required=False)

    def __init__(self, data=None, **kwargs) -> None:
        self.unknown = sorted(set(data or {}) - set(FILTER_NAMES) - NON_FILTER_PARAMETERS)
        super().__init__(data, **kwargs)
        every = [("", gettext("All"))]
        fields = self.fields
        fields["programme"].choices = every + [(p.code, p.name) for p in Programme.objects.all()]
        fields["course"].choices = every + _course_choices()
        fields["kind"].choices = every + list(EventKind.choices)
        fields["organisation_category"].choices = every + list(OrganisationCategory.choices)
        fields["organisation"].choices = every + sorted(
            ((o.code, o.name) for o in Organisation.objects.all()), key=lambda c: c[1].casefold()
        )
        fields["field_office"].choices = every + list(
            FieldOffice.objects.values_list("code", "name")
        )
        fields["place"].choices = every + [
            (str(pk), name) for pk, name in Place.objects.values_list("pk", "name")
        ]
        fields["age_scheme"].choices = [
            (code, " / ".join(band.label for band in bands))
            for code, bands in AGE_BAND_SCHEMES.items()
        ]
        fields["figure"].choices = [(code, FIGURE_LABELS[code]) for code in BREAKDOWN_FIGURES]

    def clean(self):
        data = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                gettext("Unknown filter: %(names)s.") % {"names": ", ".join(self.unknown)},
                code="unknown_filter",
            )
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                gettext("The end of the period (%(end)s) is before its start (%(start)s).")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        return data

    def scope(self) -> CountScope:
        """The scope of the valid form (its outcome = the figure the breakdowns are of)."""
        return scope_from_filters(self.cleaned_data)

    def figure_code(self) -> str:
        return self.cleaned_data.get("figure") or "trained"

    def filters(self) -> dict[str, str]:
        """The filters that are set, as strings (shown on exports, stored with reports)."""
        shown = {}
        for name in FILTER_NAMES:
            value = self.cleaned_data.get(name)
            if value:
                shown[name] = value.isoformat() if isinstance(value, date) else str(value)
        return shown

    def filters_display(self) -> list[tuple[str, str]]:
        """(label, value label) of the filters that are set, for people to read."""
        shown = []
        for name, value in self.filters().items():
            field = self.fields[name]
            label = dict(getattr(field, "choices", ())).get(value, value)
            shown.append((str(field.label), str(label)))
        return shown

    def query_string(self) -> str:
        """The filters as query parameters (for links to drill-downs and exports)."""
        query = QueryDict(mutable=True)
        query.update(self.filters())
        return query.urlencode()


def scope_from_filters(data: dict) -> CountScope:
    """A scope from filter values (cleaned by the form, or stored with a report)."""

    def one(name: str) -> tuple:
        return (data[name],) if data.get(name) else ()

    def day(name: str):
        value = data.get(name)
        return date.fromisoformat(value) if isinstance(value, str) and value else value or None

    return CountScope(
        outcomes=(data.get("figure") or "trained",),
        programmes=one("programme"),
        courses=tuple(UUID(str(c)) for c in one("course")),
        event_kinds=one("kind"),
        organisation_categories=one("organisation_category"),
        organisations=one("organisation"),
        field_offices=one("field_office"),
        places=tuple(int(p) for p in one("place")),
        date_from=day("date_from"),
        date_to=day("date_to"),
        age_scheme=data.get("age_scheme") or "default",
    )


def scope_to_json(scope: CountScope) -> dict:
    """A scope as JSON (stored with a published report, to recount it later)."""
    data = dataclasses.asdict(scope)
    for name in ("date_from", "date_to"):
        data[name] = data[name].isoformat() if data[name] else None
    data["courses"] = [str(c) for c in scope.courses]
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def scope_from_json(data: dict) -> CountScope:
    values = dict(data)
    for name in ("date_from", "date_to"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    values["courses"] = tuple(UUID(c) for c in values.get("courses", ()))
    return CountScope(**values)
