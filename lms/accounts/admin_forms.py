"""Wagtail's user forms with what the platform adds: e-mail optional, offices, language."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import FieldOffice

EXTRA_FIELDS = ("field_offices", "preferred_language", "must_change_password")


class _PlatformUserFields(forms.Form):
    email = forms.EmailField(
        required=False,
        label=_("E-mail (optional)"),
        help_text=_("Many trainees have no e-mail; staff accounts should have one."),
    )
    field_offices = forms.ModelMultipleChoiceField(
        queryset=FieldOffice.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Field offices"),
        help_text=_("Trainers record events and import rosters for these offices only."),
    )


class PlatformUserCreationForm(_PlatformUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(EXTRA_FIELDS)


class PlatformUserEditForm(_PlatformUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(EXTRA_FIELDS)
