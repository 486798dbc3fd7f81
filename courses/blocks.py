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
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video file hosted here (a Wagtail document), never autoplayed, with a captions track."""

    video = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"))
    captions = DocumentChooserBlock(label=_("Captions (WebVTT)"), required=False)
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Document (SOP, checklist)")
        template = "blocks/document.html"


class SafetyWarningBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=150, default="")
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Safety warning")
        template = "blocks/safety_warning.html"


class ProcedureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    steps = blocks.ListBlock(
        blocks.RichTextBlock(features=["bold", "italic"], label=_("Step")), label=_("Steps")
    )

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step procedure")
        template = "blocks/procedure.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(label=_("Feedback"), required=False, max_length=500)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class QuestionBlock(blocks.StructBlock):
    SINGLE = "single"
    MULTIPLE = "multiple"

    question = blocks.CharBlock(label=_("Question"), max_length=500)
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[(SINGLE, _("Single choice")), (MULTIPLE, _("Multiple choice"))],
        default=SINGLE,
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), min_num=2)

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
