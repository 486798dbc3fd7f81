from django import forms
from django.utils.translation import gettext_lazy as _


class TraineeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class BulkEnrolForm(forms.Form):
    """Tick trainees of one's field offices one by one, or paste a list of usernames."""

    trainees = TraineeChoiceField(
        label=_("Trainees of your field offices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    usernames = forms.CharField(
        label=_("Usernames"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One username a line (or separated by commas)."),
    )

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = trainees
        if not trainees.exists():
            del self.fields["trainees"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.cleaned_usernames():
            raise forms.ValidationError(_("Choose at least one trainee or enter a username."))
        return cleaned

    def cleaned_usernames(self) -> list[str]:
        raw = (self.cleaned_data.get("usernames") or "").replace(",", "\n")
        ticked = [user.username for user in self.cleaned_data.get("trainees") or []]
        return ticked + [line.strip() for line in raw.splitlines() if line.strip()]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=32)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search courses"), max_length=200, required=False)
