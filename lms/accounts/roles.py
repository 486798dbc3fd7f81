"""The platform's roles (DESIGN.md, Roles), held as Django groups with permissions.

Group names are stable identifiers stored in the database; labels are translated for display.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    LEAD_TRAINER = "lead_trainer"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.TRAINEE: _("Trainee"),
    Role.TRAINER: _("Trainer"),
    Role.LEAD_TRAINER: _("Lead trainer"),
    Role.COORDINATOR: _("Coordinator"),
    Role.ADMINISTRATOR: _("Administrator"),
}

STAFF_ROLES = frozenset({Role.TRAINER, Role.LEAD_TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR})

# Permissions each role's group holds, as "app_label.codename". Later migrations add to these.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.TRAINEE: [],
    Role.TRAINER: ["wagtailadmin.access_admin", "accounts.add_trainee_account"],
    Role.LEAD_TRAINER: ["wagtailadmin.access_admin", "accounts.add_trainee_account"],
    Role.COORDINATOR: ["wagtailadmin.access_admin"],
    Role.ADMINISTRATOR: [
        "wagtailadmin.access_admin",
        "accounts.add_trainee_account",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "auth.add_group",
        "auth.change_group",
        "auth.view_group",
        "accounts.add_fieldoffice",
        "accounts.change_fieldoffice",
        "accounts.view_fieldoffice",
    ],
}
