from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult


class AuditEvent(models.Model):
    """Who did what to whom, and when: every view or export of personal data, every merge."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    reason = models.TextField(_("why"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = ["courses.CourseCatalogue"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find the page at ``path_components`` with one query instead of one per tree level.

        Wagtail's own routing asks the database for each level's child by slug (five queries
        for a module page). Here the pages whose ``url_path`` is a prefix of the requested one
        are read at once; when they form the whole chain and none of them routes by itself
        (every class keeps ``Page.route``), the answer is Wagtail's: the last page if it is
        live, else 404. Anything else (a sub-route, a missing level) goes through Wagtail.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = []
        url_path = self.url_path
        for component in path_components:
            url_path = f"{url_path}{component}/"
            prefixes.append(url_path)
        chain = list(
            Page.objects.filter(
                url_path__in=prefixes, path__startswith=self.path, depth__gt=self.depth
            ).order_by("depth")
        )
        if len(chain) != len(prefixes) or any(
            page.specific_class is None or page.specific_class.route is not Page.route
            for page in chain
        ):
            return super().route(request, path_components)
        target = chain[-1]
        if not target.live:
            raise Http404
        return RouteResult(target.specific)
