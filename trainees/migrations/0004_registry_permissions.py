"""Give the staff roles their permissions on the registry's reference data.

Coordinators and administrators maintain organisations, places and programmes; trainers and
lead trainers read them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDIT = ("add", "change", "view")
MODELS = ("organisation", "place", "programme")
GRANTS = {
    "coordinator": EDIT,
    "administrator": EDIT,
    "trainer": ("view",),
    "lead_trainer": ("view",),
}


def permissions_grant(apps, schema_editor):
    app_config = apps.get_app_config("trainees")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_{model}" for action in actions for model in MODELS]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="trainees", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0003_revision_imports_review"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(permissions_grant, migrations.RunPython.noop)]
