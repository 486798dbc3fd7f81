"""Certificates: issued on completion, verifiable by code, revocable with a reason, renewable."""

from __future__ import annotations

import calendar
import functools
import io
import secrets
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from courses.models import Certificate, CoursePage, Enrolment
from courses.selectors import certificate_valid_for
from courses.services import CourseError
from lms.core.services import audit_record

# No 0/O, 1/I/L: the code is read aloud over a radio or typed from paper.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def months_add(moment, months: int):
    """The same day ``months`` later, or the month's last day (31 January + 1 = 28/29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def certificate_code_generate() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def certificate_issue(*, enrolment: Enrolment, course: CoursePage, now=None) -> Certificate:
    """Issue the certificate of a completed enrolment, unless one is still valid.

    A refresher completed after expiry gets a new certificate with a new validity period.
    """
    now = now or timezone.now()
    existing = enrolment.certificates.first()
    if existing is not None:
        return existing
    valid = certificate_valid_for(user=enrolment.user, course_key=course.translation_key, now=now)
    if valid is not None:
        return valid
    expires = None
    if course.certificate_validity_months:
        expires = months_add(now, course.certificate_validity_months)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=certificate_code_generate(),
                    enrolment=enrolment,
                    user=enrolment.user,
                    course_key=course.translation_key,
                    issued_at=now,
                    expires_at=expires,
                )
        except IntegrityError:
            existing = enrolment.certificates.first()
            if existing is not None:
                return existing
    raise CourseError(_("No certificate code could be generated. Try again."))


def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Revoke a certificate; the reason is kept and the act is audited."""
    reason = reason.strip()
    if not reason:
        raise CourseError(_("Give the reason for revoking this certificate."))
    if certificate.revoked_at is not None:
        raise CourseError(_("This certificate is already revoked."))
    with transaction.atomic():
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = user
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit_record(
            user=user,
            action="certificate.revoke",
            target=certificate,
            detail={"holder": certificate.user_id, "course": str(certificate.course_key)},
            reason=reason,
        )
    return certificate


def certificate_verify_url(*, certificate: Certificate, language: str) -> str:
    with translation.override(language):
        path = reverse("courses:certificate_verify", kwargs={"code": certificate.code})
    return f"{settings.SITE_URL}{path}"


FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


@functools.cache
def _fonts_register() -> None:
    """Embed DejaVu Sans (vendored in courses/fonts with its licence): the PDF core fonts
    only cover Latin-1, and holders' names often do not (Ɛ, ŋ, ɲ in Malian names)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))


def certificate_pdf(*, certificate: Certificate, course: CoursePage | None, language: str) -> bytes:
    """The certificate as a one-page PDF in the holder's language, with a QR code to verify it."""
    import segno
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _fonts_register()
    url = certificate_verify_url(certificate=certificate, language=language)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    with translation.override(language):
        title = course.title if course is not None else ""
        level = course.get_level_display() if course is not None else ""
        holder = certificate.user.get_full_name() or certificate.user.username
        pdf = canvas.Canvas(buffer, pagesize=(width, height))
        pdf.setTitle(
            _("Certificate %(code)s") % {"code": certificate_code_display(certificate.code)}
        )
        pdf.setSubject(_("Certificate of completion: %(course)s") % {"course": title})
        pdf.setAuthor(str(settings.WAGTAIL_SITE_NAME))
        pdf.setCreator(str(settings.WAGTAIL_SITE_NAME))
        pdf.setProducer(str(settings.WAGTAIL_SITE_NAME))
        pdf.setLineWidth(2)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFont(FONT_BOLD, 28)
        pdf.drawCentredString(width / 2, height - 45 * mm, _("Certificate of completion"))
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(width / 2, height - 62 * mm, _("This certifies that"))
        pdf.setFont(FONT_BOLD, 22)
        pdf.drawCentredString(width / 2, height - 76 * mm, holder)
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(width / 2, height - 90 * mm, _("has completed the course"))
        pdf.setFont(FONT_BOLD, 18)
        pdf.drawCentredString(width / 2, height - 103 * mm, title[:90])
        pdf.setFont(FONT, 12)
        lines = [
            _("Level: %(level)s") % {"level": level},
            _("Issued on %(date)s")
            % {
                "date": formats.date_format(
                    timezone.localtime(certificate.issued_at).date(), "DATE_FORMAT"
                )
            },
        ]
        if certificate.expires_at is not None:
            lines.append(
                _("Valid until %(date)s")
                % {
                    "date": formats.date_format(
                        timezone.localtime(certificate.expires_at).date(), "DATE_FORMAT"
                    )
                }
            )
        lines.append(
            _("Verification code: %(code)s") % {"code": certificate_code_display(certificate.code)}
        )
        y = height - 125 * mm
        for line in lines:
            pdf.drawString(30 * mm, y, line)
            y -= 8 * mm
        pdf.setFont(FONT, 9)
        pdf.drawString(30 * mm, 22 * mm, _("Verify this certificate at %(url)s") % {"url": url})
        pdf.drawImage(
            ImageReader(qr), width - 75 * mm, 22 * mm, 45 * mm, 45 * mm, preserveAspectRatio=True
        )
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
