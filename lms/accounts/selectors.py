"""Reads about accounts: which roles a user holds, which offices they may act for."""

from allauth.mfa.models import Authenticator

from .models import FieldOffice, User
from .roles import STAFF_ROLES, Role


def user_roles(*, user) -> frozenset[Role]:
    """The roles of a user, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR}
        user._lms_roles = cached
    return cached


def user_has_role(*, user, roles: set[Role] | frozenset[Role] | Role) -> bool:
    wanted = {roles} if isinstance(roles, Role) else set(roles)
    return bool(user_roles(user=user) & wanted)


def user_is_staff_role(*, user) -> bool:
    """Staff roles (trainer and above) sign in with a second factor and may use the admin."""
    return user_has_role(user=user, roles=STAFF_ROLES)


def user_has_totp(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_field_offices(*, user):
    """Offices a user may act for: all for lead trainers, coordinators and administrators."""
    if user_has_role(user=user, roles={Role.LEAD_TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR}):
        return FieldOffice.objects.all()
    return FieldOffice.objects.filter(users=user)


def trainee_accounts_created_by(*, user):
    return User.objects.filter(created_by=user).order_by("-date_joined")
