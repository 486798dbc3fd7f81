from django import forms
from django.utils.translation import gettext_lazy as _


class BulkEnrolForm(forms.Form):
    usernames = forms.CharField(
        label=_("Usernames"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One username a line (or separated by commas)."),
    )

    def cleaned_usernames(self) -> list[str]:
        raw = self.cleaned_data["usernames"].replace(",", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=32)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search courses"), max_length=200, required=False)
