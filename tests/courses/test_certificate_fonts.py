"""The certificate PDF embeds a Unicode font, so names beyond Latin-1 come out whole."""

import re
import zlib

import pytest

from courses.models import Certificate
from courses.services.certificates import certificate_pdf
from tests.courses.test_completion import modules_finish

pytestmark = pytest.mark.django_db

NAME = ("Ag Ahmédou", "Wallet Ɛ")


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated when compressed."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def test_a_name_outside_latin_1_is_drawn_with_the_embedded_font(client, home_page, make_user):
    from courses.services.enrolment import enrolment_create
    from tests.courses.builders import course_make

    course = course_make(questions=0)
    holder = make_user(role="trainee", first_name=NAME[0], last_name=NAME[1])
    modules_finish(enrolment_create(user=holder, course=course), course)
    certificate = Certificate.objects.get(user=holder)

    pdf = certificate_pdf(certificate=certificate, course=course, language="fr")
    assert pdf.startswith(b"%PDF")
    assert b"/BaseFont /AAAAAA+DejaVuSans" in pdf and b"/FontFile2" in pdf  # embedded subset
    # Each character of the name is mapped (ToUnicode) to a glyph of the embedded subset.
    cmaps = b"".join(s for s in pdf_streams(pdf) if b"beginbfchar" in s or b"beginbfrange" in s)
    for char in "éƐW":
        code = f"<{ord(char):04X}>".encode()
        assert code in cmaps.upper(), char

    client.force_login(holder)
    response = client.get(f"/fr/learn/certificates/{certificate.code}/download/")
    assert response.status_code == 200
    assert b"DejaVuSans" in response.content
