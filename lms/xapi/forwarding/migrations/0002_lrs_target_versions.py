from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("xapi_forwarding", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="forwardingtarget",
            name="about_read_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="About read"),
        ),
        migrations.AddField(
            model_name="forwardingtarget",
            name="about_versions",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Read from the LRS's About resource, again every hour.",
                verbose_name="versions the LRS lists",
            ),
        ),
        migrations.AlterField(
            model_name="forwardingtarget",
            name="version",
            field=models.CharField(
                choices=[
                    ("2.0.0", "2.0.0"),
                    ("1.0.3", "1.0.3"),
                    ("1.0.2", "1.0.2"),
                    ("1.0.1", "1.0.1"),
                    ("1.0.0", "1.0.0"),
                ],
                default="1.0.3",
                help_text=(
                    "Used until the LRS's About resource has been read, and whenever it "
                    "cannot be read; otherwise the latest version the LRS lists is used."
                ),
                max_length=10,
                verbose_name="xAPI version",
            ),
        ),
        migrations.AlterField(
            model_name="forwardingdelivery",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("delivered", "Delivered"),
                    ("failed", "Failed"),
                    ("held", "Held back"),
                ],
                default="pending",
                max_length=10,
                verbose_name="state",
            ),
        ),
    ]
