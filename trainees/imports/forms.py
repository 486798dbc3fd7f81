from django import forms
from django.utils.translation import gettext_lazy as _

from .columns import FIELDS, IGNORE
from .parsing import MAX_BYTES, MAX_ROWS


class RosterUploadForm(forms.Form):
    event = forms.ModelChoiceField(queryset=None, label=_("Training event"))
    file = forms.FileField(
        label=_("Roster file"),
        allow_empty_file=True,  # the import says what is wrong with an empty file
        help_text=_(
            "CSV or Excel (.xlsx), one trainee per row, at most %(rows)s rows. Headers in French "
            "or English are recognised (Nom, Prénom, Sexe, Date de naissance, Matricule, NINA, "
            "Téléphone, Résultat…)."
        )
        % {"rows": f"{MAX_ROWS:,}".replace(",", " ")},
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

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB: split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
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
            if field and field != IGNORE:
                if field in seen:
                    self.add_error(
                        f"col_{i}",
                        _("“%(other)s” is already mapped to this field.") % {"other": seen[field]},
                    )
                seen[field] = header or str(i + 1)
        if not {"full_name", "family_name"} & set(seen):
            raise forms.ValidationError(
                _(
                    "No column holds the names: map a column to “Full name” or to “Family "
                    "name” and “Given names”."
                )
            )
        return data

    def mapping(self) -> dict[int, str]:
        return {i: self.cleaned_data[f"col_{i}"] for i in range(len(self.headers))}
