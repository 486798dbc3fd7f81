"""Data 2.4.11 Attachments, Communication 1.5.2 multipart/mixed, Data 2.6 signed
statements."""

import base64
import datetime
import hashlib
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from lms.xapi.models import Statement, StatementAttachment
from tests.xapi.conftest import statement

CONTENT = b"\x89PNG raw bytes \x00\x01 not text"
LENGTH = len(CONTENT)
SHA = hashlib.sha256(CONTENT).hexdigest()
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def attachment(sha2=SHA, length=LENGTH, **extra):
    data = {
        "usageType": "http://example.org/usage/photo",
        "display": {"en": "photo"},
        "contentType": "image/png",
        "length": length,
        "sha2": sha2,
    }
    data.update(extra)
    return data


def multipart(document, parts):
    boundary = "abc123boundary"
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(document).encode(),
        b"\r\n",
    ]
    for sha2, content_type, content in parts:
        chunks += [
            f"--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary"
            f"\r\nX-Experience-API-Hash: {sha2}\r\n\r\n".encode(),
            content,
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'


@pytest.mark.django_db
def test_communication_1_5_2_multipart_attachment_is_stored_and_returned(xapi):
    body, content_type = multipart(
        statement(attachments=[attachment()]), [(SHA, "image/png", CONTENT)]
    )
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 200, response.content
    statement_id = response.json()[0]
    assert bytes(StatementAttachment.objects.get(sha2=SHA).content) == CONTENT
    got = xapi.get("/xapi/statements", {"statementId": statement_id, "attachments": "true"})
    assert got["Content-Type"].startswith("multipart/mixed; boundary=")
    assert CONTENT in got.content
    assert f"X-Experience-API-Hash: {SHA}".encode() in got.content


@pytest.mark.django_db
def test_data_2_4_11_attachment_without_file_url_needs_a_part(xapi):
    response = xapi.post("/xapi/statements", statement(attachments=[attachment()]))
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statement.attachments[0].sha2:")
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_data_2_4_11_file_url_only_attachment_is_accepted_as_json(xapi):
    data = statement(attachments=[attachment(fileUrl="http://example.org/photo.png")])
    assert xapi.post("/xapi/statements", data).status_code == 200


@pytest.mark.django_db
def test_communication_1_5_2_part_that_does_not_match_its_hash_is_400(xapi):
    body, content_type = multipart(
        statement(attachments=[attachment()]), [(SHA, "image/png", b"other bytes")]
    )
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 400
    assert "does not match its hash" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_communication_1_5_2_part_matching_no_attachment_is_400(xapi):
    other = hashlib.sha256(b"x").hexdigest()
    body, content_type = multipart(
        statement(attachments=[attachment()]),
        [(SHA, "image/png", CONTENT), (other, "text/plain", b"x")],
    )
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


# -- Data 2.6 signed statements -------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xAPI signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def _signed(key, cert, payload_statement, *, alg="RS256", tamper_signature=False):
    header = _b64(json.dumps({"alg": alg, "x5c": [cert]}).encode())
    payload = _b64(json.dumps(payload_statement).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    if tamper_signature:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    token = f"{header}.{payload}.{_b64(signature)}".encode()
    sha = hashlib.sha256(token).hexdigest()
    signed_statement = dict(
        payload_statement,
        attachments=[
            attachment(
                sha2=sha,
                length=len(token),
                usageType=SIGNATURE,
                contentType="application/octet-stream",
            )
        ],
    )
    return multipart(signed_statement, [(sha, "application/octet-stream", token)])


@pytest.mark.django_db
def test_data_2_6_valid_signature_is_accepted(xapi, key_and_cert):
    body, content_type = _signed(*key_and_cert, statement())
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_data_2_6_payload_different_from_the_statement_is_400(xapi, key_and_cert):
    key, cert = key_and_cert
    body, content_type = _signed(key, cert, statement())
    tampered = body.replace(b"course-1", b"course-2", 1)
    response = xapi.post("/xapi/statements", tampered, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error"]["message"].endswith(
        "the JWS payload does not match the statement it signs"
    )


@pytest.mark.django_db
def test_data_2_6_bad_signature_with_x5c_is_400(xapi, key_and_cert):
    body, content_type = _signed(*key_and_cert, statement(), tamper_signature=True)
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 400
    assert "does not verify" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_data_2_6_unsupported_alg_is_400(xapi, key_and_cert):
    body, content_type = _signed(*key_and_cert, statement(), alg="HS256")
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 400
    assert "RS256, RS384 or RS512" in response.json()["error"]["message"]
