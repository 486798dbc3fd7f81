from django.db import migrations


def sync_roles(apps, schema_editor):
    from lms.accounts.services import roles_sync

    roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
