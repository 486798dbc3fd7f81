"""Online learning reaches the registry through the LRS: course-level outcome statements
become participations (DESIGN.md, "Statements are the one road from learning to the
registry").

Which statements count
    Verb completed, passed or failed (ADL), about an activity of this site that stands for a
    course: ``<site>/xapi/activities/course/<uuid>``, or the course's final assessment
    ``.../assessment/<uuid>`` with the course in ``contextActivities.parent`` (what the
    course engine says when an attempt is scored). The platform's course engine and any
    external tool with client credentials are read the same way. A module's statement is
    not a course outcome: it reaches the registry when the course engine's completion rule
    turns it into the course's "completed".

What is recorded
    One participation per delivery (the statement's registration, i.e. the enrolment; a key
    derived from the person and the course when there is none) of the actor's person, with
    the course, its programme (whose qualifying outcomes decide who is trained), the date the
    learning happened (the statement's timestamp, in the site's time zone, never the time
    it reached the server) and the statement id. Each consumed statement is kept as an
    :class:`OnlineOutcome`; the participation shows the strongest live one (passed, then
    completed, then failed; the earliest of equals), so a pass after a failure updates it
    and a voided statement falls back to what remains, or voids the participation.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lms.xapi.emitter import offline_sync_extension
from trainees.models import (
    EventKind,
    OnlineOutcome,
    Outcome,
    Participation,
    Person,
    Programme,
    Source,
)

from .participations import participation_online_record

logger = logging.getLogger(__name__)

_ADL = "http://adlnet.gov/expapi/verbs/"
OUTCOME_VERBS = {
    _ADL + "completed": Outcome.COMPLETED,
    _ADL + "passed": Outcome.PASSED,
    _ADL + "failed": Outcome.FAILED,
}
#: The strongest live outcome is the participation's (the imports' ranking, without
#: "attended", which online statements never say).
_RANK = {Outcome.FAILED: 1, Outcome.COMPLETED: 2, Outcome.PASSED: 3}
#: Deliveries without a registration: uuid5(this, "<person uuid>:<course uuid>"). Fixed forever.
DELIVERY_NAMESPACE = uuid.UUID("3d0b8f7e-5a41-4b9c-8e27-91c4f0a6d2b3")

_ACTIVITY = re.compile(r"/xapi/activities/(course|assessment)/([0-9a-fA-F-]{36})$")
_COURSE = re.compile(r"/xapi/activities/course/([0-9a-fA-F-]{36})$")


@dataclass(frozen=True)
class _Outcome:
    statement_id: uuid.UUID
    actor_key: str
    registration: uuid.UUID | None
    course_key: uuid.UUID
    course_name: str
    outcome: str
    score: float | None
    timestamp: datetime
    offline_sync: bool = False


def _own_iri(iri: str | None, pattern: re.Pattern) -> re.Match | None:
    if not iri or not iri.startswith(f"{settings.SITE_URL}/xapi/activities/"):
        return None
    return pattern.search(iri)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _parent_course(raw: dict) -> tuple[uuid.UUID | None, dict]:
    context = raw.get("context") if isinstance(raw.get("context"), dict) else {}
    activities = context.get("contextActivities") or {}
    parents = activities.get("parent") if isinstance(activities, dict) else None
    if isinstance(parents, dict):  # 0.95-style single object, accepted loosely
        parents = [parents]
    for parent in parents or ():
        if not isinstance(parent, dict):
            continue
        match = _own_iri(parent.get("id"), _COURSE)
        if match is not None:
            return _uuid(match.group(1)), parent.get("definition") or {}
    return None, {}


def _name(definition: dict) -> str:
    names = definition.get("name") if isinstance(definition, dict) else None
    if not isinstance(names, dict) or not names:
        return ""
    for language in ("fr", "fr-FR", "en", "en-US"):
        if isinstance(names.get(language), str) and names[language].strip():
            return names[language].strip()
    first = next(iter(names.values()))
    return first.strip() if isinstance(first, str) else ""


def _offline_sync(raw: dict) -> bool:
    """Whether the statement says its learning was done offline and synced later (the
    platform's context extension, docs/offline.md)."""
    context = raw.get("context") if isinstance(raw.get("context"), dict) else {}
    extensions = context.get("extensions") if isinstance(context.get("extensions"), dict) else {}
    return extensions.get(offline_sync_extension()) is True


def _score(scaled) -> float | None:
    if not isinstance(scaled, int | float) or isinstance(scaled, bool):
        return None
    return round(min(max(float(scaled), 0.0), 1.0) * 100, 2)


def outcome_of(statement) -> _Outcome | None:
    """The course outcome a stored statement (``lms.xapi.hooks.StoredStatement``) says, if
    any. Pure: reads the summary and the statement's JSON only."""
    outcome = OUTCOME_VERBS.get(statement.verb_id)
    if outcome is None or statement.voided_target_id is not None:
        return None
    match = _own_iri(statement.object_activity_id, _ACTIVITY)
    if match is None:
        return None
    raw = statement.raw if isinstance(statement.raw, dict) else {}
    statement_object = raw.get("object") if isinstance(raw.get("object"), dict) else {}
    if match.group(1) == "course":
        course_key, definition = _uuid(match.group(2)), statement_object.get("definition") or {}
    else:
        course_key, definition = _parent_course(raw)
    if course_key is None:
        return None
    if outcome == Outcome.COMPLETED and statement.result_success is False:
        outcome = Outcome.FAILED  # "completed" with success false: done, not passed
    return _Outcome(
        statement_id=statement.id,
        actor_key=statement.actor_key,
        registration=statement.registration,
        course_key=course_key,
        course_name=_name(definition),
        outcome=outcome,
        score=_score(statement.result_scaled),
        timestamp=statement.timestamp,
        offline_sync=_offline_sync(raw),
    )


def _people(keys: set[str]) -> dict[str, Person]:
    """The surviving person of each actor key: the platform's own person accounts by
    public id (or, for an account without a person yet, its actor id: the person is made
    now), other actors through the links the consumer made (StatementActor)."""
    from trainees.models import StatementActor

    prefix = f"account:{settings.SITE_URL}|"
    by_uuid: dict[uuid.UUID, str] = {}
    for key in keys:
        if key.startswith(prefix):
            public_id = _uuid(key[len(prefix) :])
            if public_id is not None:
                by_uuid[public_id] = key
    found: dict[str, Person] = {}
    for person in Person.objects.filter(public_id__in=by_uuid).select_related("merged_into"):
        found[by_uuid[person.public_id]] = person.merged_into or person
    pending = {public_id for public_id, key in by_uuid.items() if key not in found}
    if pending:
        found.update(_accounts_people(pending, by_uuid))
    others = keys - set(found)
    if others:
        for link in (
            StatementActor.objects.filter(actor_key__in=others)
            .select_related("person__merged_into")
            .order_by("pk")
        ):
            found.setdefault(link.actor_key, link.person.merged_into or link.person)
    return found


def _accounts_people(actor_ids: set[uuid.UUID], keys: dict[uuid.UUID, str]) -> dict[str, Person]:
    """The person of each account whose own actor id (``User.actor_id``) a statement
    carries: the course engine emits under it until the registry has a person for the
    account, and never makes that person (``lms.xapi.actors``). The registry makes or finds
    it here, with the account matching of ``person_for_user_ensure`` (race-safe: one person
    per account however many batches arrive at once). A new person takes the actor id as
    its public id, so the next statements find it directly; an account linked to a person
    who existed before is found through the account on every later batch (one query)."""
    from django.contrib.auth import get_user_model

    from .people import person_for_user_ensure

    found = {}
    for user in get_user_model().objects.filter(actor_id__in=actor_ids).order_by("pk"):
        found[keys[user.actor_id]] = person_for_user_ensure(user=user)
    return found


def _courses(keys: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, Programme | None]]:
    """Title and registry programme of each course, read through the courses' selector."""
    from courses.selectors import courses_facts

    facts = courses_facts(course_keys=keys)
    codes = {fact.programme_code for fact in facts.values() if fact.programme_code}
    programmes = {p.code: p for p in Programme.objects.filter(code__in=codes)}
    return {key: (fact.title, programmes.get(fact.programme_code)) for key, fact in facts.items()}


def _delivery(outcome: _Outcome, person: Person) -> uuid.UUID:
    if outcome.registration is not None:
        return outcome.registration
    return uuid.uuid5(DELIVERY_NAMESPACE, f"{person.public_id}:{outcome.course_key}")


def online_outcomes_consume(*, stored: Iterable) -> int:
    """Turn the course outcomes of a stored batch into participations; returns how many
    statements were new to the registry. Statements already consumed change nothing, so a
    batch may be delivered again (the backfill replays the whole LRS)."""
    outcomes = [o for o in (outcome_of(s) for s in stored) if o is not None]
    if not outcomes:
        return 0
    known = set(
        OnlineOutcome.objects.filter(
            statement_id__in=[o.statement_id for o in outcomes]
        ).values_list("statement_id", flat=True)
    )
    outcomes = [o for o in outcomes if o.statement_id not in known]
    if not outcomes:
        return 0
    people = _people({o.actor_key for o in outcomes})
    courses = _courses({o.course_key for o in outcomes})
    rows, deliveries = [], {}
    for outcome in outcomes:
        person = people.get(outcome.actor_key)
        if person is None:
            logger.info(
                "Statement %s: actor %s is not in the registry; no participation",
                outcome.statement_id,
                outcome.actor_key,
            )
            continue
        delivery = _delivery(outcome, person)
        rows.append(
            OnlineOutcome(
                statement_id=outcome.statement_id,
                delivery_id=delivery,
                person=person,
                course_public_id=outcome.course_key,
                outcome=outcome.outcome,
                score=outcome.score,
                timestamp=outcome.timestamp,
                offline_sync=outcome.offline_sync,
            )
        )
        title, programme = courses.get(outcome.course_key, ("", None))
        deliveries[(person.pk, delivery)] = (
            person,
            outcome.course_key,
            title or outcome.course_name or str(outcome.course_key),
            programme,
        )
    if not rows:
        return 0
    with transaction.atomic():
        OnlineOutcome.objects.bulk_create(rows, ignore_conflicts=True)
        try:
            with transaction.atomic():
                _deliveries_restate(deliveries)
        except IntegrityError:
            # A concurrent consumer created one of these participations first: one at a time
            # then, each on the row that won.
            for (_pk, delivery), (person, course_key, title, programme) in deliveries.items():
                _delivery_restate(
                    person=person,
                    delivery=delivery,
                    course_key=course_key,
                    title=title,
                    programme=programme,
                )
    return len(rows)


#: The participation fields an online delivery's outcome sets.
_STATED = (
    "course_public_id",
    "course_title",
    "programme",
    "kind",
    "outcome",
    "score",
    "date",
    "source",
    "statement_id",
    "voided",
    "voided_at",
    "void_reason",
)


def _best(outcomes: list[OnlineOutcome]) -> OnlineOutcome:
    return max(outcomes, key=lambda o: (_RANK.get(o.outcome, 0), -o.timestamp.timestamp()))


def _deliveries_restate(deliveries: dict) -> None:
    """:func:`_delivery_restate` for a whole batch in a few queries (an external tool may
    send a thousand completions at once, and the consumer runs before the LRS answers): the
    live outcomes and the participations of every delivery read once, new participations
    inserted together, changed ones updated together."""
    from trainees.reports.cache import report_cache_rewarm_schedule

    wanted = {delivery for _pk, delivery in deliveries}
    live: dict[tuple[int, uuid.UUID], list[OnlineOutcome]] = {}
    outcomes = list(
        OnlineOutcome.objects.filter(delivery_id__in=wanted, voided=False).select_related("person")
    )
    for outcome in outcomes:
        survivor = outcome.person.merged_into_id or outcome.person_id
        live.setdefault((survivor, outcome.delivery_id), []).append(outcome)
    existing = {
        (p.person_id, p.enrolment_public_id): p
        for p in Participation.objects.select_for_update().filter(
            enrolment_public_id__in=wanted, person_id__in={pk for pk, _d in deliveries}
        )
    }
    new, changed = [], []
    for key, (person, course_key, title, programme) in deliveries.items():
        mine = live.get(key)
        if not mine:
            continue
        best = _best(mine)
        participation = existing.get(key) or Participation(
            person=person, enrolment_public_id=key[1]
        )
        values = {
            "course_public_id": course_key,
            "course_title": title[:200],
            "programme": programme,
            "kind": EventKind.ONLINE,
            "outcome": best.outcome,
            "score": best.score,
            "date": timezone.localtime(best.timestamp).date(),
            "source": Source.ONLINE,
            "statement_id": best.statement_id,
            "voided": False,
            "voided_at": None,
            "void_reason": "",
        }
        for name, value in values.items():
            setattr(participation, name, value)
        (changed if participation.pk else new).append(participation)
    report_cache_rewarm_schedule()  # keeps the dashboards warm
    Participation.objects.bulk_create(new)
    if changed:
        now = timezone.now()
        for participation in changed:
            participation.updated_at = now
        Participation.objects.bulk_update(changed, [*_STATED, "updated_at"])


def online_outcomes_void(*, statement_ids: Iterable[uuid.UUID]) -> int:
    """A voided outcome statement leaves its delivery: the participation falls back to the
    strongest outcome still live, or is voided when none is. Returns how many deliveries
    were restated."""
    ids = list(statement_ids)
    if not ids:
        return 0
    with transaction.atomic():
        voided = list(
            OnlineOutcome.objects.select_for_update(of=("self",))
            .filter(statement_id__in=ids, voided=False)
            .select_related("person__merged_into")
        )
        if not voided:
            return 0
        OnlineOutcome.objects.filter(pk__in=[o.pk for o in voided]).update(voided=True)
        deliveries = {}
        for outcome in voided:
            person = outcome.person.merged_into or outcome.person
            deliveries[(person.pk, outcome.delivery_id)] = (person, outcome.course_public_id)
        for (_pk, delivery), (person, course_key) in deliveries.items():
            _delivery_restate(person=person, delivery=delivery, course_key=course_key)
    return len(deliveries)


def _delivery_restate(
    *,
    person: Person,
    delivery: uuid.UUID,
    course_key: uuid.UUID,
    title: str | None = None,
    programme: Programme | None = None,
) -> Participation | None:
    """Make the delivery's participation say its strongest live outcome (the one place that
    decides it). Outcomes of people merged into ``person`` count as theirs."""
    people = Person.objects.filter(Q(pk=person.pk) | Q(merged_into=person)).values("pk")
    live = list(OnlineOutcome.objects.filter(delivery_id=delivery, person__in=people, voided=False))
    if not live or title is None:  # a void: the course as recorded before
        existing = (
            Participation.objects.select_for_update()
            .filter(enrolment_public_id=delivery, person=person)
            .first()
        )
        if not live:
            if existing is not None and not existing.voided:
                existing.voided, existing.voided_at = True, timezone.now()
                existing.void_reason = "Statement voided in the LRS."
                existing.save(update_fields=["voided", "voided_at", "void_reason", "updated_at"])
            return existing
        title = existing.course_title if existing is not None else str(course_key)
        programme = existing.programme if existing is not None else None
    best = _best(live)
    return participation_online_record(
        person=person,
        course_public_id=course_key,
        course_title=title,
        enrolment_public_id=delivery,
        outcome=best.outcome,
        date=timezone.localtime(best.timestamp).date(),
        score=best.score,
        programme=programme,
        statement_id=best.statement_id,
    )


#: Statements replayed per batch by the backfill.
BACKFILL_BATCH = 1000


def online_outcomes_backfill(*, statement_model) -> int:
    """Replay every course outcome the LRS stored, not voided, in stored order, through the
    consumer: what the data migration runs (with its historical model of the LRS's
    statements) and what ``manage.py online_outcomes_replay`` runs after a consumer failure
    (the on-commit consumer logs its errors and never breaks the LRS's response). The
    result is the same as if each statement had been consumed when it arrived; a statement
    consumed already changes nothing. Reads named columns only. Returns how many statements
    became online outcomes."""
    rows = (
        statement_model.objects.filter(
            verb_id__in=list(OUTCOME_VERBS), voided=False, is_voiding=False
        )
        .order_by("seq")
        .values_list(
            "statement_id",
            "verb_id",
            "object_activity_id",
            "actor_key",
            "registration",
            "timestamp",
            "stored",
            "raw",
        )
    )
    consumed, batch = 0, []
    for row in rows.iterator(chunk_size=2000):
        batch.append(_summary(row))
        if len(batch) >= BACKFILL_BATCH:
            consumed += _replay(batch)
            batch = []
    return consumed + (_replay(batch) if batch else 0)


def _replay(batch: list) -> int:
    from .statements import actors_link

    actors_link(stored=batch)
    return online_outcomes_consume(stored=batch)


def _summary(row: tuple):
    """A stored statement's summary as the LRS hands it to consumers."""
    import json

    from lms.xapi.hooks import StoredStatement

    statement_id, verb_id, activity_id, actor_key, registration, timestamp, stored, raw = row
    statement = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
    score = result.get("score") if isinstance(result.get("score"), dict) else {}
    return StoredStatement(
        id=statement_id,
        verb_id=verb_id,
        object_activity_id=activity_id,
        actor_key=actor_key,
        registration=registration,
        voided_target_id=None,
        result_success=result.get("success"),
        result_completion=result.get("completion"),
        result_scaled=score.get("scaled"),
        timestamp=timestamp,
        stored=stored,
        raw=statement,
    )
