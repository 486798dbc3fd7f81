from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import TraineeAccountRow, user_password_changed


class ChangePasswordForm(AllauthChangePasswordForm):
    def save(self):
        super().save()
        user_password_changed(user=self.user)


class TraineeAccountForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("fr", _("French")), ("en", _("English"))]
    )

    def clean(self):
        data = super().clean()
        if not data.get("given_names", "").strip() and not data.get("family_name", "").strip():
            raise forms.ValidationError(_("Enter a given name or a family name."))
        return data

    def to_row(self) -> TraineeAccountRow:
        return TraineeAccountRow(**self.cleaned_data)


class TraineeAccountListForm(forms.Form):
    """One trainee a line: ``given names; family name; e-mail (optional)``."""

    lines = forms.CharField(
        label=_("Trainees, one a line"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Write one trainee a line: given names; family name; e-mail (optional). "
            "A comma may be used instead of a semicolon."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("fr", _("French")), ("en", _("English"))]
    )
    max_lines = 500

    def clean(self):
        data = super().clean()
        text = data.get("lines", "")
        rows, errors = [], []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            sep = ";" if ";" in raw else ","
            parts = [part.strip() for part in raw.split(sep)]
            if len(parts) < 2 or len(parts) > 3:
                errors.append(
                    _("Line %(n)s: expected “given names; family name; e-mail”, found “%(t)s”.")
                    % {"n": number, "t": raw.strip()}
                )
                continue
            email = parts[2] if len(parts) == 3 else ""
            if email:
                try:
                    forms.EmailField().clean(email)
                except forms.ValidationError:
                    errors.append(
                        _("Line %(n)s: “%(e)s” is not an e-mail address.")
                        % {"n": number, "e": email}
                    )
                    continue
            if not parts[0] and not parts[1]:
                errors.append(_("Line %(n)s: a name is missing.") % {"n": number})
                continue
            rows.append(
                TraineeAccountRow(
                    given_names=parts[0],
                    family_name=parts[1],
                    email=email,
                    language=data.get("language", "fr"),
                )
            )
        if not rows and not errors:
            errors.append(_("The list is empty."))
        if len(rows) > self.max_lines:
            errors.append(_("At most %(n)s trainees a list.") % {"n": self.max_lines})
        if errors:
            raise forms.ValidationError(errors)
        data["rows"] = rows
        return data
