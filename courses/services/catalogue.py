"""Who may write and publish courses: the catalogue's workflow and page permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from courses.review_names import review_name_forms
from lms.accounts.roles import Role

# Stored names, shown as they are by Wagtail ("Soumettre à …"): named in both languages.
WORKFLOW_NAME = "Relecture du cours / Course review"
TASK_NAME = "Approbation du formateur principal / Lead trainer approval"

# Trainers draft and submit; only lead trainers publish (and approve in the workflow).
PAGE_PERMISSIONS = {
    Role.TRAINER: ["add_page", "change_page"],
    Role.LEAD_TRAINER: ["add_page", "change_page", "publish_page"],
}
COLLECTION_PERMISSIONS = ["add_image", "choose_image", "add_document", "choose_document"]
# simple_translation's "Translate" action: trainers make the other language's draft.
TRANSLATION_PERMISSION = ("simple_translation", "submit_translation")


def course_review_workflow_ensure() -> Workflow:
    """The workflow the data migration creates; re-made if it was removed (or in a flushed
    test database), so a catalogue is never left without review."""
    # Found under any stored form of its name (a French admin saving it stores French).
    workflow = (
        Workflow.objects.filter(name__in=review_name_forms(WORKFLOW_NAME)).order_by("pk").first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    if not workflow.workflow_tasks.exists():
        task = (
            GroupApprovalTask.objects.filter(name__in=review_name_forms(TASK_NAME))
            .order_by("pk")
            .first()
        )
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
        lead = Group.objects.filter(name=Role.LEAD_TRAINER.value).first()
        if lead is not None:
            task.groups.add(lead)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def catalogue_permissions_ensure(*, catalogue: Page) -> None:
    """Assign the course review workflow and the trainers' permissions to a catalogue.

    Idempotent; called when a catalogue is created (admin hook) and by the demo data, for
    each language's catalogue (a workflow and permissions are per page subtree).
    """
    workflow = course_review_workflow_ensure()
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    root_collection = Collection.get_first_root_node()
    for role, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.filter(name=role.value).first()
        if group is None:
            continue
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=permission
            )
        app_label, codename = TRANSLATION_PERMISSION
        translate = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if translate is not None:
            group.permissions.add(translate)
        if root_collection is None:
            continue
        for codename in COLLECTION_PERMISSIONS:
            permission = Permission.objects.filter(codename=codename).first()
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
