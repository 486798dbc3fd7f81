"""The sync of statements made on a phone while offline (docs/offline.md).

The phone sends small batches of xAPI statements it made itself, each with its own UUID and
the time the learning happened. Each statement is checked and stored on its own, so one
refused statement never blocks the others; an id already stored with the same statement is
accepted again without a second copy (Communication 2.1.2), so a send cut off half-way can
simply be sent again. Accepted statements go through the LRS's own store (its consumers see
them as any other) and then through the same completion rules as learning done online.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrolment
from courses.offline.selectors import CourseActivities, course_activities
from courses.services import CourseError
from lms.core.services import audit_record

logger = logging.getLogger(__name__)

#: Statements in one request: small batches, so a weak link loses little when it drops.
BATCH_MAX = 25
#: A phone's clock may run a little ahead; beyond this a timestamp is refused.
CLOCK_TOLERANCE = timedelta(minutes=5)

_ADL = "http://adlnet.gov/expapi/verbs/"
LAUNCHED, EXPERIENCED, ANSWERED = _ADL + "launched", _ADL + "experienced", _ADL + "answered"
SYNCABLE_VERBS = {LAUNCHED, EXPERIENCED, ANSWERED}


@dataclass(frozen=True)
class SyncResult:
    id: str | None
    accepted: bool
    reason: str = ""
    already: bool = False  # stored by an earlier send of the same statement
    code: str = ""

    def as_json(self) -> dict:
        data: dict = {"id": self.id, "status": "accepted" if self.accepted else "refused"}
        if self.reason:
            data["reason"] = self.reason
        if self.code and not self.accepted:
            # The phone shows the reason in the language of the page it is on (the reason
            # is in the language of the send): the code picks the page's own words.
            data["code"] = self.code
        if self.already:
            data["already"] = True
        return data


class _Refused(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def _statement_id(statement) -> str | None:
    if not isinstance(statement, dict):
        return None
    try:
        return str(uuid.UUID(str(statement.get("id"))))
    except ValueError:
        return None


def _timestamp(statement: dict) -> datetime:
    from lms.xapi.spec.primitives import parse_timestamp

    return parse_timestamp(statement["timestamp"], "timestamp")


def _check(
    statement: dict,
    *,
    expected_actors: frozenset[str],
    enrolments: dict[str, Enrolment],
    activities: dict[uuid.UUID, CourseActivities | None],
    now: datetime,
):
    """The server's checks on one statement from a phone; returns what the rules need."""
    from lms.xapi.spec import XAPIValidationError, agent_ifi_key, validate_statement

    if _statement_id(statement) is None:
        raise _Refused("id", _("This statement has no valid id."))
    try:
        validate_statement(statement)
    except XAPIValidationError as error:
        message = _("This is not a valid statement: %(error)s") % {"error": error}
        raise _Refused("invalid", message) from None
    if "timestamp" not in statement:
        raise _Refused("timestamp", _("This statement does not say when the learning happened."))
    try:
        actor = agent_ifi_key(statement["actor"])
    except XAPIValidationError:
        actor = ""
    if actor not in expected_actors or statement["actor"].get("objectType", "Agent") != "Agent":
        raise _Refused(
            "actor",
            _("This statement is about another person: only your own learning can be sent."),
        )
    verb = statement["verb"]["id"]
    if verb not in SYNCABLE_VERBS:
        raise _Refused(
            "verb",
            _("Only module visits, modules done and knowledge-check answers can be sent."),
        )
    context = statement.get("context") or {}
    enrolment = enrolments.get(str(context.get("registration", "")).lower())
    if enrolment is None:
        raise _Refused("registration", _("This statement is not about one of your courses."))
    found = activities.get(enrolment.course_key)
    if found is None:
        raise _Refused("unpublished", _("This course is no longer published."))
    target = statement["object"]
    object_id = target.get("id") if target.get("objectType", "Activity") == "Activity" else None
    if object_id == found.assessment_iri:
        raise _Refused(
            "assessment", _("The final assessment needs a connection: it is scored on the server.")
        )
    parents = (context.get("contextActivities") or {}).get("parent")
    if isinstance(parents, dict):
        parents = [parents]
    if parents and any(parent.get("id") != found.course_iri for parent in parents):
        raise _Refused("course", _("This activity is not part of the course."))
    if verb == ANSWERED:
        question = found.questions.get(object_id)
        if question is None:
            raise _Refused("course", _("This activity is not part of the course."))
        module = question[0]
    else:
        module = found.modules.get(object_id)
        if module is None:
            raise _Refused("course", _("This activity is not part of the course."))
    when = _timestamp(statement)
    if when > now + CLOCK_TOLERANCE:
        raise _Refused(
            "future", _("The time of this statement is in the future: check the phone's clock.")
        )
    if when < enrolment.started_at - CLOCK_TOLERANCE:
        raise _Refused(
            "before", _("The time of this statement is before your enrolment in the course.")
        )
    chosen: tuple[int, ...] = ()
    if verb == ANSWERED:
        chosen = _answer_check(statement, question[2])
    return enrolment, found, module, question[1] if verb == ANSWERED else None, chosen, when


def _answer_check(statement: dict, value) -> tuple[int, ...]:
    """The choices of an answer, and its marking checked against the course's own key."""
    from courses.services.questions import choices_parse, question_mark

    result = statement.get("result") or {}
    response = result.get("response")
    if not isinstance(response, str) or not response:
        raise _Refused("answer", _("This answer is not one of the choices offered."))
    try:
        chosen = choices_parse(raw=response.split("[,]"), value=value)
    except CourseError as error:
        raise _Refused("answer", str(error)) from None
    marked = question_mark(block_id="", value=value, chosen=chosen)
    if "success" in result and result["success"] is not marked.correct:
        raise _Refused("marking", _("The marking of this answer does not match the course."))
    return chosen


def _store(statement: dict, *, authority: dict) -> bool:
    """Store through the LRS's own service; False when it was already stored."""
    from lms.xapi.protocol import XAPIError
    from lms.xapi.services.statements import statement_store
    from lms.xapi.spec import XAPIValidationError

    try:
        outcome = statement_store(statements=[statement], authority=authority)
    except XAPIValidationError as error:
        raise _Refused(
            "invalid", _("This is not a valid statement: %(error)s") % {"error": error}
        ) from None
    except XAPIError as error:
        if error.status == 409:
            raise _Refused(
                "replayed", _("This statement id is already used by another statement.")
            ) from None
        raise _Refused(
            "invalid", _("This is not a valid statement: %(error)s") % {"error": error}
        ) from None
    return bool(outcome.inserted)


def _apply(statement: dict, enrolment, found: CourseActivities, module, block_id, chosen, when):
    from courses.services.progress import (
        synced_answer_apply,
        synced_done_apply,
        synced_launch_apply,
    )

    verb = statement["verb"]["id"]
    course = found.course
    if verb == LAUNCHED:
        synced_launch_apply(enrolment=enrolment, module=module)
    elif verb == ANSWERED:
        synced_answer_apply(
            enrolment=enrolment,
            module=module,
            course=course,
            block_id=block_id,
            chosen=chosen,
            when=when,
        )
    else:
        try:
            synced_done_apply(enrolment=enrolment, module=module, course=course, when=when)
        except CourseError as error:
            raise _Refused("incomplete", str(error)) from None


def offline_statements_sync(
    *, user, statements: list, now: datetime | None = None
) -> list[SyncResult]:
    """Check, store and apply a batch from the signed-in trainee's phone.

    Results come back in the order sent; statements are applied in the order the learning
    happened (their timestamps), so answers come before the module they complete. Refusals
    of another person's statement, another course's activity or an id already used are
    audited: they are what a forged or replayed request looks like."""
    from lms.xapi.actors import account_actor_uuids
    from lms.xapi.emitter import person_agent
    from lms.xapi.spec import agent_ifi_key

    if not isinstance(statements, list) or len(statements) > BATCH_MAX:
        raise CourseError(_("Send at most %(n)s statements at a time.") % {"n": BATCH_MAX})
    now = now or timezone.now()
    # The account's actor now, and its own actor id: a phone may still hold statements made
    # before the registry linked the account to a person who existed already.
    names = account_actor_uuids(user=user)
    person = person_agent(names[0])
    expected = frozenset(agent_ifi_key(person_agent(name)) for name in names)
    enrolments = {
        str(enrolment.public_id): enrolment
        for enrolment in Enrolment.objects.filter(user=user).exclude(
            status=Enrolment.Status.WITHDRAWN
        )
    }
    activities = {
        key: course_activities(course_key=key)
        for key in {e.course_key for e in enrolments.values()}
    }
    authority = {**person, "objectType": "Agent"}

    def order(index: int):
        statement = statements[index]
        try:
            return (0, _timestamp(statement), index)
        except Exception:  # refused below with its reason
            return (1, now, index)

    results: dict[int, SyncResult] = {}
    for index in sorted(range(len(statements)), key=order):
        statement = statements[index]
        statement_id = _statement_id(statement)
        try:
            if not isinstance(statement, dict):
                raise _Refused(
                    "invalid",
                    _("This is not a valid statement: %(error)s") % {"error": "not an object"},
                )
            checked = _check(
                statement,
                expected_actors=expected,
                enrolments=enrolments,
                activities=activities,
                now=now,
            )
            with transaction.atomic():
                inserted = _store(statement, authority=authority)
                if inserted:
                    _apply(statement, *checked)
            results[index] = SyncResult(id=statement_id, accepted=True, already=not inserted)
        except _Refused as refusal:
            results[index] = SyncResult(
                id=statement_id, accepted=False, reason=refusal.reason, code=refusal.code
            )
    refused = [result for result in results.values() if not result.accepted]
    if refused:
        _refusals_log(user=user, refused=refused)
    return [results[index] for index in range(len(statements))]


def _refusals_log(*, user, refused: list[SyncResult]) -> None:
    suspicious = [
        r for r in refused if r.code in {"actor", "registration", "course", "replayed", "marking"}
    ]
    for result in refused:
        (logger.warning if result in suspicious else logger.info)(
            "Offline statement %s from user %s refused (%s): %s",
            result.id,
            user.pk,
            result.code,
            result.reason,
        )
    audit_record(
        user=user,
        action="offline.statements_refused",
        target=None,
        detail={"refused": [{"id": r.id, "code": r.code} for r in refused][:BATCH_MAX]},
        reason="suspicious" if suspicious else "",
    )
