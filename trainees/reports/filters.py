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
from lms.core.formats import date_text
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

#: Filters that take several values (repeated parameters: ``?field_office=gao&field_office=tbk``).
#: Values inside one filter are combined with OR, filters with AND (the counting selector's
#: rule), so several values count the distinct union of their people, never the sum.
MULTI_FILTERS = (
    "programme",
    "course",
    "kind",
    "organisation_category",
    "organisation",
    "field_office",
    "place",
)

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


class ChoicesField(forms.MultipleChoiceField):
    """Several values of one filter; every unknown value is named in the error, not only the
    first, and an empty value (a blank "All" option of an old link) is ignored."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("Choose one or more; none chosen counts them all."))
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        bad = [v for v in value if not self.valid_value(v)]
        if bad:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": ", ".join(bad)},
            )


def _as_querydict(data) -> QueryDict | None:
    """The form's input as a QueryDict without empty or repeated values of multi-value filters
    (the API, the views and stored reports pass QueryDicts, dicts of strings or of lists)."""
    if data is None:
        return None
    query = QueryDict(mutable=True)
    for name in data:
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:
            value = data[name]
            values = list(value) if isinstance(value, (list, tuple)) else [value]
        values = ["" if v is None else str(v) for v in values]
        if name in MULTI_FILTERS:
            values = list(dict.fromkeys(v for v in values if v != ""))
        query.setlist(name, values)
    return query


class ReportFilterForm(forms.Form):
    """Filters of every report. Empty fields do not filter.

    ``user``: the filters a user may choose (field offices: only those the user may act for,
    and no office chosen means all of theirs); ``None`` (the API's token) may choose any.
    """

    multi_filters = MULTI_FILTERS

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    programme = ChoicesField(label=_("Programme"), required=False)
    course = ChoicesField(label=_("Course"), required=False)
    kind = ChoicesField(label=_("Type of activity"), required=False)
    organisation_category = ChoicesField(label=_("Organisation category"), required=False)
    organisation = ChoicesField(label=_("Organisation"), required=False)
    field_office = ChoicesField(label=_("Field office"), required=False)
    place = ChoicesField(label=_("Place"), required=False)
    age_scheme = forms.ChoiceField(label=_("Age bands"), required=False)
    figure = forms.ChoiceField(label=_("Breakdowns of"), required=False)

    def __init__(self, data=None, *, user=None, **kwargs) -> None:
        self.unknown = sorted(set(data or {}) - set(FILTER_NAMES) - NON_FILTER_PARAMETERS)
        super().__init__(_as_querydict(data), **kwargs)
        self.user = user
        fields = self.fields
        fields["programme"].choices = [(p.code, p.name) for p in Programme.objects.all()]
        fields["course"].choices = _course_choices()
        fields["kind"].choices = list(EventKind.choices)
        fields["organisation_category"].choices = list(OrganisationCategory.choices)
        fields["organisation"].choices = sorted(
            ((o.code, o.name) for o in Organisation.objects.all()), key=lambda c: c[1].casefold()
        )
        fields["field_office"].choices = list(
            _offices(user).order_by("name").values_list("code", "name")
        )
        fields["place"].choices = sorted(
            ((str(pk), name) for pk, name in Place.objects.values_list("pk", "name")),
            key=lambda c: c[1].casefold(),
        )
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
                % {"end": date_text(end), "start": date_text(start)},
            )
        return data

    def scope(self) -> CountScope:
        """The scope of the valid form (its outcome = the figure the breakdowns are of).

        A user restricted to some field offices who chose none counts in theirs only: the
        scope by role is never wider than the offices the user may act for.
        """
        data = dict(self.cleaned_data)
        if not data.get("field_office") and _restricted(self.user):
            data["field_office"] = [code for code, _name in self.fields["field_office"].choices]
            if not data["field_office"]:
                data["field_office"] = [NO_OFFICE]
        return scope_from_filters(data)

    def figure_code(self) -> str:
        return self.cleaned_data.get("figure") or "trained"

    def filters(self) -> dict[str, str | list[str]]:
        """The filters that are set (shown on exports, stored with reports, returned by the
        API): a string per single-value filter, a list of strings per :data:`MULTI_FILTERS`."""
        shown: dict[str, str | list[str]] = {}
        for name in FILTER_NAMES:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if name in MULTI_FILTERS:
                shown[name] = [str(v) for v in value]
            else:
                shown[name] = value.isoformat() if isinstance(value, date) else str(value)
        return shown

    def filters_display(self) -> list[tuple[str, str]]:
        """(label, value labels) of the filters that are set, for people to read."""
        return filters_labelled(self.filters(), form=self)

    def query_string(self) -> str:
        """The filters as query parameters (for links to drill-downs and exports): a
        multi-value filter is repeated, once per value."""
        query = QueryDict(mutable=True)
        for name, value in self.filters().items():
            query.setlist(name, value if isinstance(value, list) else [value])
        return query.urlencode()

    def hidden_fields_of_filters(self) -> list[tuple[str, str]]:
        """(name, value) pairs of the filters, one per value (hidden inputs of a form)."""
        return [
            (name, v)
            for name, value in self.filters().items()
            for v in (value if isinstance(value, list) else [value])
        ]


#: A field office code no office has: a user restricted to no office counts nobody.
NO_OFFICE = "__no_office__"


def _restricted(user) -> bool:
    if user is None:
        return False
    from trainees.selectors.access import user_sees_all_offices

    return not user_sees_all_offices(user=user)


def _offices(user):
    if _restricted(user):
        from lms.accounts.selectors import user_field_offices

        return user_field_offices(user=user)
    return FieldOffice.objects.all()


def filters_labelled(
    filters: dict, *, form: ReportFilterForm | None = None
) -> list[tuple[str, str]]:
    """(label, value labels) of stored or chosen filters: every value of a multi-value filter
    is listed, by its name ("Gao, Timbuktu"). Values no longer known are shown as stored.
    Older published reports stored one string per filter; it reads as a one-value list."""
    form = form or ReportFilterForm()
    shown = []
    for name, value in filters.items():
        field = form.fields.get(name)
        if field is None:
            shown.append((name, ", ".join(map(str, value)) if isinstance(value, list) else value))
            continue
        choices = {str(k): str(v) for k, v in getattr(field, "choices", ())}
        values = value if isinstance(value, list) else [value]
        if isinstance(field, forms.DateField):
            values = [date_text(v) for v in values]
        shown.append((str(field.label), ", ".join(choices.get(str(v), str(v)) for v in values)))
    return shown


def scope_from_filters(data: dict) -> CountScope:
    """A scope from filter values (cleaned by the form, or stored with a report)."""

    def one(name: str) -> tuple:
        value = data.get(name)
        if not value:
            return ()
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)

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
