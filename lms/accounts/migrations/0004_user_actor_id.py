"""Every account gets its xAPI actor id (``User.actor_id``), existing accounts included."""

import uuid

from django.db import migrations, models


def actor_ids_fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = list(User.objects.filter(actor_id__isnull=True).only("pk"))
    for user in users:
        user.actor_id = uuid.uuid4()
    User.objects.bulk_update(users, ["actor_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_roles_field_offices")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="actor_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="xAPI actor id"),
        ),
        migrations.RunPython(actor_ids_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="actor_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="xAPI actor id"
            ),
        ),
    ]
