"""Forms of the registry's staff screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trainees.models import AGE_BAND_SCHEMES, AggregateKind, EventKind, Place, Programme, Sex
from trainees.models.choices import AGE_UNKNOWN


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or identifier"),
        required=False,
        max_length=200,
        help_text=_(
            "Any words of the name, or a service number, NINA, passport, UN index or phone."
        ),
    )


class AggregateSessionForm(forms.Form):
    """A session's details and its headcounts by sex and age band (the fine scheme)."""

    SCHEME = "fine"

    title = forms.CharField(label=_("Title"), max_length=200)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    kind = forms.ChoiceField(label=_("Kind"), choices=AggregateKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.count_fields: list[tuple[str, str, str]] = []
        bands = [(b.code, b.label) for b in AGE_BAND_SCHEMES[self.SCHEME]]
        bands.append((AGE_UNKNOWN, _("age unknown")))
        for sex, sex_label in ((Sex.FEMALE, _("Women and girls")), (Sex.MALE, _("Men and boys"))):
            for code, label in bands:
                name = f"count_{sex}_{code}"
                self.fields[name] = forms.IntegerField(
                    label=f"{sex_label}, {label}", min_value=0, required=False, initial=0
                )
                self.count_fields.append((name, sex, code))

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (sex, code): self.cleaned_data.get(name) or 0 for name, sex, code in self.count_fields
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.counts().values()):
            raise forms.ValidationError(_("Enter at least one headcount."))
        return cleaned


class EventCorrectionForm(forms.Form):
    """What a coordinator may correct on a training event; its participations follow."""

    title = forms.CharField(label=_("Title"), max_length=200)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in EventKind.choices if c[0] != EventKind.ONLINE]
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False)
    funding_source = forms.CharField(label=_("Funding source"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    def changes(self, event) -> dict:
        """The fields that differ from ``event``'s (a new place brings its field office)."""
        out = {
            name: value
            for name, value in self.cleaned_data.items()
            if getattr(event, name) != value
        }
        if "place" in out and out["place"] is not None:
            out["field_office"] = out["place"].field_office
        return out
