"""The course tree: catalogue > programme > course > module, in French and English.

Activity ids (xAPI) use each page's ``translation_key``: it is shared by a page and its
translations, so a trainee's progress is the same whichever language they study in.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import ModuleBodyBlock, QuestionBankBlock

ASSESSMENT_NAMESPACE = uuid.UUID("0f5d1c1e-6a55-4bd3-9a52-7a3c3b1d2e01")


class CourseCatalogue(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.ProgrammePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_programmes

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = catalogue_programmes(catalogue=self)
        return context


class ProgrammePage(Page):
    """A training programme (EOD/IEDD, WAM, pre-deployment, awareness, risk education...)."""

    programme_code = models.SlugField(
        _("programme code"),
        max_length=32,
        blank=True,
        help_text=_("The registry's programme code, so reports count this programme's courses."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("programme_code"), FieldPanel("intro")]
    parent_page_types = ["courses.CourseCatalogue"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("programme")


class CoursePage(Page):
    LEVELS = [
        ("awareness", _("Awareness")),
        ("eod1", _("EOD level 1")),
        ("eod2", _("EOD level 2")),
        ("eod3", _("EOD level 3")),
        ("eod3plus", _("EOD level 3+")),
        ("iedd", _("IEDD")),
        ("wam", _("Weapons and ammunition management")),
        ("other", _("Other")),
    ]
    LANGUAGES = [("fr", _("French")), ("en", _("English")), ("fr-en", _("French and English"))]

    summary = models.TextField(_("summary"), max_length=600)
    learning_objectives = RichTextField(
        _("learning objectives"), blank=True, features=["bold", "italic", "ul", "ol"]
    )
    level = models.CharField(_("level"), max_length=16, choices=LEVELS, default="awareness")
    expected_duration_minutes = models.PositiveIntegerField(
        _("expected duration (minutes)"), default=60
    )
    language = models.CharField(
        _("language of instruction"), max_length=8, choices=LANGUAGES, default="fr"
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisites"),
        help_text=_("Courses a trainee must have completed before enrolling."),
    )
    practical_signoff_required = models.BooleanField(
        _("practical sign-off required"),
        default=False,
        help_text=_("A trainer must record that the practical work was done before completion."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate that does not expire."),
    )
    question_bank = StreamField(
        QuestionBankBlock(), blank=True, verbose_name=_("final assessment questions")
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"), default=10
    )
    pass_mark_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempt limit"), default=3, help_text=_("0 for no limit.")
    )
    attempt_wait_minutes = models.PositiveIntegerField(
        _("waiting time between attempts (minutes)"), default=60
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_objectives"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("expected_duration_minutes"),
                FieldPanel("language"),
                FieldPanel("prerequisites"),
                FieldPanel("practical_signoff_required"),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("questions_per_attempt"),
                FieldPanel("pass_mark_percent"),
                FieldPanel("attempt_limit"),
                FieldPanel("attempt_wait_minutes"),
                FieldPanel("question_bank"),
            ],
            heading=_("Final assessment"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_objectives"),
        index.SearchField("search_acronyms", boost=2),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.ModulePage"]

    def search_acronyms(self) -> str:
        """The programme's acronyms in both languages (EOD and NEDEX, WAM and GMA...), so a
        course is found by either, whatever language its page is in."""
        from django.utils import translation

        from courses.search_backend import acronyms_for

        texts = [self.title, self.summary]
        for language in ("fr", "en"):
            with translation.override(language):
                texts.append(str(self.get_level_display()))
        parent = self.get_parent() if self.pk else None
        if parent is not None:
            texts += [page.title for page in parent.get_translations(inclusive=True)]
        return acronyms_for(" ".join(str(t) for t in texts))

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark_percent__lte=100), name="course_pass_mark_max_100"
            ),
        ]

    @property
    def activity_uuid(self) -> uuid.UUID:
        return self.translation_key

    @property
    def assessment_uuid(self) -> uuid.UUID:
        return uuid.uuid5(ASSESSMENT_NAMESPACE, str(self.translation_key))

    def question_uuid(self, block_id: str) -> uuid.UUID:
        return uuid.uuid5(self.translation_key, block_id)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course=self, user=request.user))
        return context


class ModulePage(Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(ModuleBodyBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("module")

    @property
    def activity_uuid(self) -> uuid.UUID:
        return self.translation_key

    def knowledge_checks(self) -> list:
        return [block for block in self.body if block.block_type == "knowledge_check"]

    def serve(self, request, *args, **kwargs):
        """Only enrolled trainees study a module; editors preview it from the admin."""
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        from courses.selectors import module_access
        from courses.services.progress import module_launch

        access = module_access(module=self, user=request.user)
        if access.enrolment is None:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return render(
                request,
                "courses/not_enrolled.html",
                {"page": self, "course": access.course},
                status=403,
            )
        if access.enrolment.status != "active" and access.enrolment.status != "completed":
            raise PermissionDenied
        if request.headers.get("X-LMS-Offline-Package") != "1":
            # A phone keeping the course for offline study fetches every module: that is
            # not a visit (docs/offline.md); offline visits come back as statements.
            module_launch(enrolment=access.enrolment, module=self, course=access.course)
        self._access = access  # read again by get_context: no second lookup
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import module_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            module_page_context(
                module=self, user=request.user, access=getattr(self, "_access", None)
            )
        )
        return context
