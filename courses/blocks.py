"""StreamField blocks of module bodies and of the final assessment's question bank.

Questions keep their correct answers on the server: templates render only the choice texts,
and scoring reads the stored page content, never what the browser claims.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video file hosted here (a Wagtail document), never autoplayed, with a captions track."""

    video = DocumentChooserBlock(label=_("video file (MP4 or WebM)"))
    captions = DocumentChooserBlock(label=_("captions (WebVTT)"), required=False)
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    description = blocks.CharBlock(label=_("description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Document (SOP, checklist)")
        template = "blocks/document.html"


class SafetyWarningBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150, default="")
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Safety warning")
        template = "blocks/safety_warning.html"


class ProcedureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    steps = blocks.ListBlock(
        blocks.RichTextBlock(features=["bold", "italic"], label=_("step")), label=_("steps")
    )

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step procedure")
        template = "blocks/procedure.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(label=_("feedback"), required=False, max_length=500)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class QuestionBlock(blocks.StructBlock):
    SINGLE = "single"
    MULTIPLE = "multiple"

    question = blocks.CharBlock(label=_("question"), max_length=500)
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[(SINGLE, _("Single choice")), (MULTIPLE, _("Multiple choice"))],
        default=SINGLE,
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("choices"), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise ValidationError(_("Mark at least one choice as correct."))
        if value["kind"] == self.SINGLE and correct != 1:
            raise ValidationError(_("A single-choice question has exactly one correct choice."))
        return value

    class Meta:
        icon = "help"
        label = _("Question")


class KnowledgeCheckBlock(QuestionBlock):
    class Meta:
        icon = "help"
        label = _("Knowledge check")
        template = "blocks/knowledge_check.html"


class ModuleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(
        label=_("Text"), features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    safety_warning = SafetyWarningBlock()
    procedure = ProcedureBlock()
    knowledge_check = KnowledgeCheckBlock()


class QuestionBankBlock(blocks.StreamBlock):
    question = QuestionBlock()
