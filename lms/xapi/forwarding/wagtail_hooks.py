from django.contrib import messages
from django.http import HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.xapi.admin_views import user_is_lrs_administrator

from .models import ForwardingDelivery, ForwardingTarget
from .services import deliveries_retry


class AdministratorPolicy(ModelPermissionPolicy):
    """Forwarding is configured and watched by administrators only; deliveries are read-only
    (they change through "retry now")."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user, action):
        return action in self.actions and user_is_lrs_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(
    ForwardingTarget,
    AdministratorPolicy(ForwardingTarget, {"add", "change", "delete", "view"}),
)
register_permission_policy(ForwardingDelivery, AdministratorPolicy(ForwardingDelivery, {"view"}))


class RetryColumn(Column):
    cell_template_name = "xapi_forwarding/retry_cell.html"

    def __init__(self, name, *, field, label, show, **kwargs):
        super().__init__(name, label=_("Action"), **kwargs)
        self.field, self.button_label, self.show = field, label, show

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(
            instance=instance,
            retry_url=reverse("xapi_forwarding_retry"),
            csrf_token=parent_context.get("csrf_token"),
            field=self.field,
            label=self.button_label,
            show=self.show(instance),
        )
        return context


class ForwardingTargetViewSet(ModelViewSet):
    model = ForwardingTarget
    icon = "redirect"
    menu_label = _("External LRSs")
    list_display = [
        "name",
        "endpoint",
        "active",
        "about_versions",
        "about_read_at",
        RetryColumn("retry", field="target", label=_("Retry failed now"), show=lambda target: True),
    ]
    list_filter = ["active"]
    search_fields = ["name", "endpoint"]
    form_fields = [
        "name",
        "endpoint",
        "username",
        "password",
        "version",
        "active",
        "verb_ids",
        "activity_types",
    ]


class ForwardingDeliveryViewSet(ModelViewSet):
    model = ForwardingDelivery
    icon = "list-ul"
    menu_label = _("Deliveries")
    list_display = [
        "statement_id",
        "target",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "delivered_at",
        RetryColumn(
            "retry",
            field="delivery",
            label=_("Retry now"),
            show=lambda delivery: delivery.state != ForwardingDelivery.State.DELIVERED,
        ),
    ]
    list_filter = ["state", "target"]
    search_fields = ["statement_id"]
    form_fields = []
    list_per_page = 50

    def get_queryset(self, request):
        return ForwardingDelivery.objects.select_related("target")


class ForwardingGroup(ViewSetGroup):
    menu_label = _("xAPI forwarding")
    menu_icon = "redirect"
    menu_order = 902
    items = (
        ForwardingTargetViewSet("xapi_forwarding_targets"),
        ForwardingDeliveryViewSet("xapi_forwarding_deliveries"),
    )


@hooks.register("register_admin_viewset")
def register_forwarding():
    return ForwardingGroup()


def retry_now(request):
    """Make one delivery, or every failed delivery of a target, due at once."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not user_is_lrs_administrator(request.user):
        return HttpResponseForbidden()
    if request.POST.get("delivery"):
        delivery = get_object_or_404(ForwardingDelivery, pk=request.POST["delivery"])
        count = deliveries_retry(deliveries=[delivery])
    else:
        target = get_object_or_404(ForwardingTarget, pk=request.POST.get("target"))
        count = deliveries_retry(target=target)
    messages.success(
        request,
        ngettext(
            "%(count)d delivery will be sent again now.",
            "%(count)d deliveries will be sent again now.",
            count,
        )
        % {"count": count},
    )
    return redirect("xapi_forwarding_deliveries:index")


@hooks.register("register_admin_urls")
def forwarding_urls():
    return [path("xapi/forwarding/retry/", retry_now, name="xapi_forwarding_retry")]
