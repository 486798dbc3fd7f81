"""Writes about accounts: roles, trainee accounts made by trainers, password changes."""

import secrets
from dataclasses import dataclass

from anyascii import anyascii
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import User
from .roles import Role

# No 0/O, 1/l/I: initial passwords are read aloud or copied from paper in the field.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105


class AccountError(ValueError):
    """A request that cannot be carried out; the message is shown to the user as it is."""


@dataclass(frozen=True)
class TraineeAccountRow:
    given_names: str
    family_name: str
    email: str = ""
    language: str = "fr"


@dataclass(frozen=True)
class IssuedAccount:
    user: User
    initial_password: str


def initial_password_generate() -> str:
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def username_generate(*, given_names: str, family_name: str) -> str:
    """A readable, unique username such as ``aminata.traore`` or ``aminata.traore2``."""
    given = slugify(anyascii(given_names).split(" ")[0] if given_names.strip() else "")
    family = slugify(anyascii(family_name).replace(" ", ""))
    base = ".".join(part for part in (given, family) if part)[:120] or "trainee"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def user_roles_set(*, user: User, roles: set[Role]) -> None:
    """Give a user exactly these roles (the groups created by the accounts migration)."""
    groups = list(Group.objects.filter(name__in=[role.value for role in roles]))
    missing = {role.value for role in roles} - {group.name for group in groups}
    if missing:
        raise AccountError(_("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(missing))})
    current = set(user.groups.exclude(name__in=[r.value for r in Role]))
    user.groups.set(current | set(groups))
    if hasattr(user, "_lms_roles"):
        del user._lms_roles


def trainee_account_create(*, created_by: User | None, row: TraineeAccountRow) -> IssuedAccount:
    """Create a trainee account with an initial password that must be changed at first sign-in.

    Trainees often have no e-mail: the trainer hands over the username and password on paper.
    """
    given, family = row.given_names.strip(), row.family_name.strip()
    if not given and not family:
        raise AccountError(_("Enter a given name or a family name."))
    email = row.email.strip().lower()
    if email and User.objects.filter(email__iexact=email).exists():
        raise AccountError(
            _("An account with the e-mail %(email)s exists already.") % {"email": email}
        )
    password = initial_password_generate()
    user = User(
        username=username_generate(given_names=given, family_name=family),
        first_name=given[:150],
        last_name=family[:150],
        email=email,
        preferred_language=row.language if row.language in {"fr", "en"} else "fr",
        must_change_password=True,
        created_by=created_by,
    )
    user.set_password(password)
    user.save()
    user_roles_set(user=user, roles={Role.TRAINEE})
    return IssuedAccount(user=user, initial_password=password)


def trainee_accounts_create(
    *, created_by: User | None, rows: list[TraineeAccountRow]
) -> list[IssuedAccount]:
    """Create every account of a list, or none if one row is wrong."""
    with transaction.atomic():
        return [trainee_account_create(created_by=created_by, row=row) for row in rows]


def user_password_changed(*, user: User) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


def roles_sync(*, group_model, permission_model) -> None:
    """Create the role groups and give each the permissions ROLE_PERMISSIONS lists.

    Called from migrations (with the historical models) so a fresh database always has the
    roles; permissions a role should hold but that do not exist yet are skipped.
    """
    from .roles import ROLE_PERMISSIONS

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role.value)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
