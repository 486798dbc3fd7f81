"""Attachments on the wire (Communication 1.5.2 multipart/mixed; Data 2.4.11) and signed
statements (Data 2.6). Pure functions on bytes and JSON; the store keeps the parts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .protocol import XAPIError
from .spec import XAPIValidationError, statements_equivalent
from .spec.jsontext import json_check
from .spec.validation import SIGNATURE_USAGE_TYPE

HASH_HEADER = "x-experience-api-hash"
SIGNATURE_ALGORITHMS = {"RS256": "SHA256", "RS384": "SHA384", "RS512": "SHA512"}


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]  # lower-cased names
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "application/octet-stream")


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _boundary(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "boundary":
            return value.strip().strip('"')
    raise XAPIError(400, "Content-Type: multipart/mixed needs a boundary parameter")


def multipart_parse(body: bytes, content_type: str) -> list[Part]:
    """RFC 2046 5.1 multipart body into parts; binary-safe (no decoding of content)."""
    delimiter = b"--" + _boundary(content_type).encode()
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise XAPIError(400, "the multipart/mixed body has no parts between its boundaries")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # the close delimiter
        chunk = chunk.removeprefix(b"\r\n").removeprefix(b"\n")
        head, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            head, separator, content = chunk.partition(b"\n\n")
        if not separator:
            raise XAPIError(400, "a multipart part has no blank line after its headers")
        headers = {}
        for line in head.decode("latin-1").splitlines():
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        if content.endswith(b"\r\n"):
            content = content[:-2]
        elif content.endswith(b"\n"):
            content = content[:-1]
        parts.append(Part(headers=headers, content=content))
    return parts


def multipart_statements(body: bytes, content_type: str) -> tuple[bytes, dict[str, Part]]:
    """Communication 1.5.2.s2: the first part is application/json statements; every other
    part carries X-Experience-API-Hash (its sha2)."""
    parts = multipart_parse(body, content_type)
    first, rest = parts[0], parts[1:]
    if media_type(first.content_type) != "application/json":
        raise XAPIError(
            400, "the first part of a multipart/mixed request must be application/json statements"
        )
    by_hash: dict[str, Part] = {}
    for index, part in enumerate(rest, start=2):
        encoding = part.headers.get("content-transfer-encoding")
        if encoding is not None and encoding.strip().lower() != "binary":
            # Communication 1.5.2.s2.b4: attachment parts are sent binary, never encoded.
            raise XAPIError(
                400,
                f"multipart part {index} has Content-Transfer-Encoding {encoding!r}; "
                "attachment parts must be sent as 'binary'",
            )
        sha2 = part.headers.get(HASH_HEADER)
        if not sha2:
            raise XAPIError(400, f"multipart part {index} has no X-Experience-API-Hash header")
        by_hash[sha2.lower()] = part
    return first.content, by_hash


def attachments_match(statements: list[dict], parts: Mapping[str, Part], path: str) -> None:
    """Communication 1.5.2.s2.b6-b8: every attachment without fileUrl has a raw part with
    its sha2, every part belongs to an attachment, and the part's content hashes to it."""
    declared: set[str] = set()
    for index, statement in enumerate(statements):
        for number, attachment in enumerate(statement.get("attachments") or ()):
            sha2 = attachment["sha2"].lower()
            declared.add(sha2)
            where = (
                f"{path}[{index}].attachments[{number}]"
                if len(statements) > 1
                else (f"{path}.attachments[{number}]")
            )
            if sha2 not in parts and "fileUrl" not in attachment:
                raise XAPIValidationError(
                    "has no fileUrl and no multipart/mixed part with this sha2 "
                    "(X-Experience-API-Hash)",
                    f"{where}.sha2",
                )
    for sha2, part in parts.items():
        if sha2 not in declared:
            raise XAPIError(
                400, f"X-Experience-API-Hash: part {sha2} matches no attachment of the statements"
            )
        if _digest(part.content, len(sha2)) != sha2:
            raise XAPIError(
                400, f"X-Experience-API-Hash: the content of part {sha2} does not match its hash"
            )


def _digest(content: bytes, hex_length: int) -> str:
    algorithm = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}.get(hex_length)
    if algorithm is None:
        return ""
    return hashlib.new(algorithm, content).hexdigest()


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signatures_verify(statements: list[dict], parts: Mapping[str, Part], path: str) -> None:
    """Data 2.6: a signature attachment is a JWS compact serialisation (RFC 7515) with
    alg RS256/384/512 whose payload is the statement (compared by Data 2.3.1); with an
    x5c certificate, the signature itself is checked with its public key."""
    for index, statement in enumerate(statements):
        for number, attachment in enumerate(statement.get("attachments") or ()):
            if attachment["usageType"] != SIGNATURE_USAGE_TYPE:
                continue
            where = (
                f"{path}[{index}].attachments[{number}]"
                if len(statements) > 1
                else (f"{path}.attachments[{number}]")
            )
            part = parts.get(attachment["sha2"].lower())
            if part is None:
                raise XAPIValidationError("a signature must be sent as a raw part", where)
            _jws_verify(part.content, statement, where)


def _jws_verify(token_bytes: bytes, statement: dict, where: str) -> None:
    try:
        header_b64, payload_b64, signature_b64 = token_bytes.decode("ascii").strip().split(".")
        header = json.loads(_b64url(header_b64))
        payload = json.loads(_b64url(payload_b64))
        json_check(payload, where)
        signature = _b64url(signature_b64)
    except (ValueError, UnicodeDecodeError, binascii.Error, RecursionError) as error:
        raise XAPIValidationError(
            "the signature is not a JWS compact serialisation (header.payload.signature)", where
        ) from error
    if not isinstance(header, dict) or header.get("alg") not in SIGNATURE_ALGORITHMS:
        raise XAPIValidationError("the JWS signature must use alg RS256, RS384 or RS512", where)
    if not isinstance(payload, dict) or not statements_equivalent(
        _unsigned(payload), _unsigned(statement)
    ):
        raise XAPIValidationError("the JWS payload does not match the statement it signs", where)
    chain = header.get("x5c")
    if chain:
        _rsa_verify(chain, header["alg"], f"{header_b64}.{payload_b64}".encode(), signature, where)


def _unsigned(statement: dict) -> dict:
    return {key: value for key, value in statement.items() if key != "attachments"}


def _rsa_verify(chain: list, alg: str, signed: bytes, signature: bytes, where: str) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        key = certificate.public_key()
    except (ValueError, TypeError, binascii.Error, IndexError) as error:
        raise XAPIValidationError("the x5c certificate cannot be read", where) from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise XAPIValidationError("the x5c certificate must hold an RSA key", where)
    algorithm = getattr(hashes, SIGNATURE_ALGORITHMS[alg])()
    try:
        key.verify(signature, signed, padding.PKCS1v15(), algorithm)
    except InvalidSignature as error:
        raise XAPIValidationError(
            "the JWS signature does not verify with the x5c certificate", where
        ) from error


def multipart_build(
    document: bytes, attachments: Iterable[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """A multipart/mixed response: the statements JSON, then each (sha2, type, content)."""
    boundary = "xapi-" + secrets.token_hex(16)
    out = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        document,
        b"\r\n",
    ]
    for sha2, content_type, content in attachments:
        out.append(
            (
                f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode()
        )
        out.append(content)
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f'multipart/mixed; boundary="{boundary}"'
