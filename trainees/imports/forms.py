from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.accounts.selectors import user_field_offices, user_has_role
from trainees.models import EventKind, Place, Programme

from .columns import FIELDS, IGNORE, REPEATABLE_FIELDS
from .events import new_event_check
from .limits import archive_problem
from .parsing import MAX_BYTES, MAX_ROWS
from .selectors import ALL_OFFICE_ROLES

EXISTING, NEW = "existing", "new"
_NEW_EVENT_FIELDS = (
    "title",
    "programme",
    "kind",
    "start_date",
    "end_date",
    "place",
    "field_office",
)


class RosterUploadForm(forms.Form):
    """The roster file and its event: an event already recorded, or a new one described here
    and created when the import is confirmed (never before)."""

    event_choice = forms.ChoiceField(
        label=_("Training event"),
        choices=[
            (EXISTING, _("An event already recorded")),
            (NEW, _("Create a new event")),
        ],
        initial=EXISTING,
        required=False,  # an event already recorded when not said
        widget=forms.RadioSelect,
    )
    event = forms.ModelChoiceField(queryset=None, label=_("Training event"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in EventKind if k != EventKind.ONLINE],
        initial=EventKind.COURSE,
        required=False,
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a one-day event."),
    )
    place = forms.ModelChoiceField(queryset=None, label=_("Place"), required=False)
    field_office = forms.ModelChoiceField(queryset=None, label=_("Field office"), required=False)
    file = forms.FileField(
        label=_("Roster file"),
        allow_empty_file=True,  # the import says what is wrong with an empty file
    )
    #: Formatted per form (in ``__init__``): formatted here, it would keep the language that
    #: was active when the module was first imported.
    FILE_HELP = _(
        "CSV or Excel (.xlsx), one trainee per row, at most %(rows)s rows. Headers in French "
        "or English are recognised (Nom, Prénom, Sexe, Date de naissance, Matricule, NINA, "
        "Téléphone, Résultat…)."
    )
    default_outcome = forms.ChoiceField(
        label=_("Result when the file gives none"),
        choices=[
            ("attended", _("Attended")),
            ("completed", _("Completed")),
            ("passed", _("Passed")),
        ],
        initial="attended",
    )

    def __init__(self, *args, events=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["file"].help_text = self.FILE_HELP % {"rows": f"{MAX_ROWS:,}".replace(",", " ")}
        self.fields["event"].queryset = events
        self.fields["programme"].queryset = Programme.objects.order_by("code")
        offices = user_field_offices(user=user)
        places = Place.objects.select_related("field_office")
        if not user_has_role(user=user, roles=ALL_OFFICE_ROLES):
            places = places.filter(field_office__in=offices)
        self.fields["place"].queryset = places
        self.fields["field_office"].queryset = offices

    def new_event_fields(self):
        return [self[name] for name in _NEW_EVENT_FIELDS]

    def other_fields(self):
        return [self["file"], self["default_outcome"]]

    def clean(self):
        data = super().clean()
        if data.get("event_choice") == NEW:
            try:
                data["new_event"] = new_event_check(
                    user=self.user, **{name: data.get(name) for name in _NEW_EVENT_FIELDS}
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    if name not in self.errors:  # one message a field: the first problem
                        for message in messages:
                            self.add_error(name, message)
            data["event"] = None
        else:
            if data.get("event") is None and "event" not in self.errors:
                self.add_error("event", _("Choose the training event, or create a new one."))
            data["new_event"] = None
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB: split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        # A zip bomb is refused here, at once, rather than by the background preview.
        problem = archive_problem(upload.read())
        upload.seek(0)
        if problem is not None:
            raise forms.ValidationError(problem.message)
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: a field, or "ignore"."""

    def __init__(self, *args, headers: list[str], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— choose —")), (IGNORE, _("Ignore this column"))]
        choices += [(key, label) for key, label in FIELDS.items()]
        self.headers = headers
        for i, header in enumerate(headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=header or _("Column %(n)s (no header)") % {"n": i + 1},
                choices=choices,
                initial=mapping.get(str(i)) or "",
                required=True,
            )

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for i, header in enumerate(self.headers):
            field = data.get(f"col_{i}")
            if field and field not in REPEATABLE_FIELDS:
                if field in seen:
                    self.add_error(
                        f"col_{i}",
                        _("“%(other)s” is already mapped to this field.") % {"other": seen[field]},
                    )
                seen[field] = header or str(i + 1)
        if not {"full_name", "family_name", "given_names"} & set(seen):
            raise forms.ValidationError(
                _(
                    "No column holds the names: map a column to “Full name” or to “Family "
                    "name” and “Given names”."
                )
            )
        return data

    def mapping(self) -> dict[int, str]:
        return {i: self.cleaned_data[f"col_{i}"] for i in range(len(self.headers))}
