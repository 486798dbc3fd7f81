"""What the three Document Resources share: their kinds, errors and precondition headers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lms.xapi.spec.versions import is_v2

from .models import ActivityProfile, AgentProfile, Document, State

JSON_CONTENT_TYPE = "application/json"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class DocumentKind:
    """One Document Resource: its model, the parameter naming a document, and whether a
    PUT over an existing document must carry a precondition (Communication 3.1.s3: the
    State Resource permits requests without concurrency headers, the profiles do not)."""

    model: type[Document]
    id_field: str
    id_parameter: str
    label: str
    put_requires_precondition: bool
    # Communication 3.1 as the ADL reference LRS reads it: a PUT creating a profile
    # carries If-None-Match (400 without a precondition).
    new_put_requires_precondition: bool = False


STATE = DocumentKind(State, "state_id", "stateId", "State", put_requires_precondition=False)
# 9274.1.1 Communication 3.1 (2.0): the State resource follows the concurrency rules too;
# a PUT over an existing State document without If-Match / If-None-Match is 409.
STATE_2_0 = DocumentKind(State, "state_id", "stateId", "State", put_requires_precondition=True)
ACTIVITY_PROFILE = DocumentKind(
    ActivityProfile,
    "profile_id",
    "profileId",
    "Activity Profile",
    put_requires_precondition=True,
    new_put_requires_precondition=True,
)
AGENT_PROFILE = DocumentKind(
    AgentProfile,
    "profile_id",
    "profileId",
    "Agent Profile",
    put_requires_precondition=True,
    new_put_requires_precondition=True,
)


def state_kind(version: str | None) -> DocumentKind:
    """The State resource's rules in the request's xAPI version."""
    return STATE_2_0 if is_v2(version) else STATE


class DocumentError(Exception):
    """A request on a document the LRS refuses; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class DocumentNotFound(DocumentError):
    status = 404


class DocumentConflict(DocumentError):
    status = 409


class DocumentPreconditionFailed(DocumentError):
    status = 412


@dataclass(frozen=True)
class Preconditions:
    """The If-Match and If-None-Match headers of a request, as sent (None when absent)."""

    if_match: str | None = None
    if_none_match: str | None = None

    @property
    def given(self) -> bool:
        return self.if_match is not None or self.if_none_match is not None


def content_etag(content: bytes) -> str:
    """Communication 3.1.s4.b2: the ETag is the lower-case hexadecimal SHA-1 of the
    contents (sent quoted, 3.1.s4.b4)."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def media_type(content_type: str | None) -> str:
    """The ``type/subtype`` of a Content-Type, lower-cased, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def etag_matches(header: str, etag: str) -> bool:
    """RFC 7232 3.1/3.2 as Communication 3.1.s4.b5-b8 ask: ``*`` matches any current
    document; otherwise a comma-separated list of entity tags. Unquoted and upper-case
    tags are accepted too, since some clients compute the SHA-1 themselves (3.1.s3.b4 only
    says they SHOULD NOT); weak tags never match, as strong comparison requires."""
    if header.strip() == "*":
        return True
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            continue
        if tag.lower().strip('"') == etag:
            return True
    return False


def preconditions_check(
    *,
    kind: DocumentKind,
    existing: Document | None,
    preconditions: Preconditions,
    method: str,
) -> None:
    """Communication 3.1.s4: a failed If-Match / If-None-Match is 412 and changes nothing
    (b9-b12); a profile PUT without either header over an existing document is 409 with an
    explanation (b13-b15)."""
    if preconditions.if_match is not None and (
        existing is None or not etag_matches(preconditions.if_match, existing.etag)
    ):
        current = f'"{existing.etag}"' if existing is not None else "none: there is no document"
        raise DocumentPreconditionFailed(
            f"If-Match: the {kind.label} document's current ETag is {current}; "
            f"it does not match {preconditions.if_match!r}, so nothing was changed"
        )
    if (
        preconditions.if_none_match is not None
        and existing is not None
        and etag_matches(preconditions.if_none_match, existing.etag)
    ):
        raise DocumentPreconditionFailed(
            f"If-None-Match: the {kind.label} document already exists (ETag "
            f'"{existing.etag}"), so nothing was changed'
        )
    if (
        method == "PUT"
        and kind.new_put_requires_precondition
        and existing is None
        and not preconditions.given
    ):
        # Communication 3.1.s3.b1/b2 as the ADL reference LRS reads it: a profile PUT
        # always carries a precondition; for a new document, If-None-Match: *.
        raise DocumentError(
            f"The {kind.label} document does not exist yet and the request has neither "
            "If-Match nor If-None-Match: send 'If-None-Match: *' to create it"
        )
    if (
        method == "PUT"
        and kind.put_requires_precondition
        and existing is not None
        and not preconditions.given
    ):
        raise DocumentConflict(
            f"The {kind.label} document already exists and the request has neither If-Match "
            "nor If-None-Match: check the current state of the document (GET it), then send "
            f'If-Match with its current ETag ("{existing.etag}") to replace it'
        )
