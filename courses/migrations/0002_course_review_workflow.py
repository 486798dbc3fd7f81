from django.db import migrations

# Named in both languages (Wagtail shows the stored name); 0005 renames older databases.
WORKFLOW_NAME = "Relecture du cours / Course review"
TASK_NAME = "Approbation du formateur principal / Lead trainer approval"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    lead, _ = Group.objects.get_or_create(name="lead_trainer")
    task.groups.add(lead)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
