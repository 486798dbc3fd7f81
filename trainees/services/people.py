"""Creating people, their identifiers, and the person behind an online account."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees.matching import (
    IdentifierError,
    PersonRecord,
    canonical_name,
    match_record,
    normalise_identifier,
    normalise_text,
)
from trainees.matching.explain import weights_of
from trainees.models import Identifier, IdentifierType, MatchDecision, Person
from trainees.models.people import BIRTH_YEAR_MIN
from trainees.selectors.people import person_for_user, person_records

#: At most this many registry people are compared with an account (the most similar by name
#: and identifiers are fetched first); more would mean a name shared by half the registry.
ACCOUNT_CANDIDATES_MAX = 2000


def person_names_normalised(*, given_names: str, family_name: str) -> dict[str, str]:
    """The normalised name fields of a person, computed with the matching engine's rules."""
    return {
        "given_normalised": normalise_text(given_names)[:200],
        "family_normalised": normalise_text(family_name)[:200],
        "full_name_normalised": normalise_text(f"{given_names} {family_name}")[:400],
        "name_key": " ".join(sorted(set(canonical_name(given_names, family_name))))[:400],
    }


def _birth_check(birth_date: date | None, birth_year: int | None) -> int | None:
    today = timezone.localdate()
    if birth_date is not None:
        if birth_date > today:
            raise ValidationError({"birth_date": _("The date of birth is in the future.")})
        birth_year = birth_date.year
    if birth_year is not None and not BIRTH_YEAR_MIN <= birth_year <= today.year:
        raise ValidationError(
            {
                "birth_year": _("The year of birth must be between %(low)s and %(high)s.")
                % {"low": BIRTH_YEAR_MIN, "high": today.year}
            }
        )
    return birth_year


def person_create(
    *,
    given_names: str,
    family_name: str,
    sex: str = "",
    birth_date: date | None = None,
    birth_year: int | None = None,
    phone: str = "",
    email: str = "",
    user=None,
    identifiers: Iterable[tuple[str, str]] = (),
    public_id: uuid.UUID | None = None,
) -> Person:
    """Create a person with normalised names and identifiers.

    Raises ``ValidationError`` for a birth date/year in the future or an identifier that is
    malformed or already another person's (checked by the database constraint, so two
    concurrent imports cannot both take it).
    """
    birth_year = _birth_check(birth_date, birth_year)
    if sex not in ("F", "M", ""):
        raise ValidationError({"sex": _("Sex must be F, M or empty.")})
    if phone:
        try:
            phone = normalise_identifier(IdentifierType.PHONE, phone)
        except IdentifierError as exc:
            raise ValidationError({"phone": exc.message}) from exc
    with transaction.atomic():
        person = Person.objects.create(
            given_names=given_names.strip(),
            family_name=family_name.strip(),
            sex=sex,
            birth_date=birth_date,
            birth_year=birth_year,
            phone=phone,
            email=email.strip(),
            user=user,
            **({"public_id": public_id} if public_id is not None else {}),
            **person_names_normalised(given_names=given_names, family_name=family_name),
        )
        seen: set[tuple[str, str]] = set()
        for id_type, value in identifiers:
            identifier = identifier_add(person=person, id_type=id_type, value=value)
            seen.add((identifier.type, identifier.value_normalised))
        if phone and (IdentifierType.PHONE.value, phone) not in seen:
            identifier_add(person=person, id_type=IdentifierType.PHONE, value=phone)
    return person


def person_names_set(*, person: Person, given_names: str, family_name: str) -> Person:
    """Correct a person's names and recompute the normalised forms."""
    person.given_names, person.family_name = given_names.strip(), family_name.strip()
    for field, value in person_names_normalised(
        given_names=given_names, family_name=family_name
    ).items():
        setattr(person, field, value)
    person.save(
        update_fields=[
            "given_names",
            "family_name",
            "given_normalised",
            "family_normalised",
            "full_name_normalised",
            "name_key",
            "updated_at",
        ]
    )
    return person


def identifier_add(*, person: Person, id_type: str, value: str) -> Identifier:
    """Attach an identifier (normalised) to a person; adding it twice is a no-op.

    Raises ``ValidationError`` when the value is malformed or belongs to another person.
    """
    try:
        canonical = normalise_identifier(id_type, value)
    except IdentifierError as exc:
        raise ValidationError({"identifiers": exc.message}) from exc
    existing = Identifier.objects.filter(type=id_type, value_normalised=canonical)
    mine = existing.filter(person=person).first()
    if mine is not None:
        return mine
    if id_type != IdentifierType.PHONE and existing.exists():
        raise ValidationError(
            {"identifiers": _("This identifier already belongs to another person.")}
        )
    try:
        with transaction.atomic():
            return Identifier.objects.create(
                person=person,
                type=id_type,
                value_normalised=canonical,
                value_as_recorded=str(value)[:100],
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"identifiers": _("This identifier already belongs to another person.")}
        ) from exc


def _account_candidates(record: PersonRecord, email: str) -> list[Person]:
    """Registry people worth comparing with an account: same name tokens, or same e-mail."""
    tokens = sorted(set(canonical_name(record.given_names, record.family_name)))
    query = Q()
    if len(tokens) >= 2:
        for i, first in enumerate(tokens):
            for second in tokens[i + 1 :]:
                query |= Q(name_key__contains=first) & Q(name_key__contains=second)
    elif tokens:
        query |= Q(name_key__contains=tokens[0])
    if email:
        query |= Q(email__iexact=email)
    if not query:
        return []
    people = list(
        Person.objects.filter(query, merged_into__isnull=True).order_by("pk")[
            :ACCOUNT_CANDIDATES_MAX
        ]
    )
    if len(tokens) >= 2 and len(people) < ACCOUNT_CANDIDATES_MAX:
        # People a roster wrote with these names (a person is every row they were).
        from trainees.imports.registry import people_named_on_rosters

        known = {p.pk for p in people}
        more = [pk for pk in people_named_on_rosters(tokens) if pk not in known]
        people += list(
            Person.objects.filter(pk__in=more[: ACCOUNT_CANDIDATES_MAX - len(people)])
            .filter(merged_into__isnull=True)
            .order_by("pk")
        )
    return people


def _review_pair_propose(*, person: Person, candidate: Person, score: float, reasons: list) -> None:
    """Queue the pair for a coordinator when the review queue is installed.

    The review queue (trainees.review) reads pairs from its own table; the registry core
    only proposes through its service so it never depends on that table's shape.
    """
    try:
        from trainees.review.services import review_pair_propose
    except ImportError:  # the review package is optional for the core
        return
    review_pair_propose(person_a=person, person_b=candidate, score=score, reasons=reasons)


def person_for_user_ensure(*, user) -> Person:
    """The person behind an online account, created or found on first call.

    Called by the registry itself, never by the apps that emit statements: the statement
    consumer calls it when it first sees an account's actor (``statements.actors_link``),
    so a new person is made when there is learning to record, and staff accounts that never
    learn stay out of the registry.

    An account's names (and e-mail) are matched against the registry with the same engine as
    roster rows: a link attaches the account to the existing person (a trainee trained in
    person who later studies online stays one person); a review creates a new person now
    (learning cannot wait) and queues the pair for a coordinator; otherwise a new person.
    Every outcome is recorded as a :class:`MatchDecision`.

    Race-safe: the account row is locked while deciding, and the one-to-one column is unique,
    so two concurrent first requests never make two people.
    """
    person = person_for_user(user=user)
    if person is not None:
        return person
    User = get_user_model()
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()
            person = person_for_user(user=user)
            if person is not None:
                return person
            return _person_for_user_decide(user)
    except IntegrityError:
        # Another request linked the account between our read and our write.
        person = Person.objects.select_related("merged_into").get(user=user)
        return person.merged_into or person


def _account_public_id(user) -> uuid.UUID | None:
    """A new person of an account takes the account's actor id as its public id, so the
    statements sent before the person existed (``lms.xapi.actors``) are already its own."""
    actor_id = getattr(user, "actor_id", None)
    if actor_id is None or Person.objects.filter(public_id=actor_id).exists():
        return None
    return actor_id


def _person_for_user_decide(user) -> Person:
    given, family = (user.first_name or "").strip(), (user.last_name or "").strip()
    email = (user.email or "").strip()
    record = PersonRecord(key="account", given_names=given, family_name=family)
    decision = None
    model = model_row = None
    if given or family:
        candidates = _account_candidates(record, email)
        if candidates:
            from .linkage import linkage_model_current

            model, model_row = linkage_model_current()
            from trainees.imports.registry import (
                person_alias_rows,
                registry_count_of_counts,
                registry_index_build,
            )

            index = registry_index_build(
                person_records(candidates),
                person_alias_rows([p.pk for p in candidates]),
                model=model,
            )
            index.registry_size = Person.objects.filter(merged_into__isnull=True).count()
            # The rare names are smoothed over the whole registry's names, as at import.
            index.count_of_counts = registry_count_of_counts()
            decision = match_record(record, index)
    candidate = None
    if decision is not None and decision.candidate is not None:
        candidate = Person.objects.filter(pk=decision.candidate).first()
    outcome = decision.outcome if decision is not None else "new"
    reasons = list(decision.reasons) if decision is not None else []
    score = decision.score if decision is not None else 0.0
    if (
        outcome == "review"
        and candidate is not None
        and email
        and candidate.email.casefold() == email.casefold()
    ):
        # Names alone cannot link an account (accounts carry no birth date or identifier);
        # the same names and the same e-mail address can.
        outcome = "link"
        reasons.append({"code": "email_equal", "text": "Same e-mail address.", "params": {}})
    claimed = False
    if outcome == "link" and candidate is not None and candidate.user_id is None:
        # Claimed with a conditional UPDATE, not read-then-save: two accounts matching the
        # same person at once would otherwise both "link" and the second overwrite the first.
        # The row lock (PostgreSQL) or the single writer (SQLite) lets exactly one through.
        changes = {"user": user, "updated_at": timezone.now()}
        if not candidate.email and email:
            changes["email"] = email
        claimed = bool(Person.objects.filter(pk=candidate.pk, user__isnull=True).update(**changes))
    if claimed:
        candidate.refresh_from_db()
        person = candidate
    else:
        if outcome == "link":
            # The best match already has another account: one person has one account, so a
            # coordinator decides.
            outcome = "review"
            reasons.append(
                {
                    "code": "candidate_has_account",
                    "text": "The matching person already has another account.",
                    "params": {},
                }
            )
        person = person_create(
            given_names=given,
            family_name=family,
            email=email,
            user=user,
            public_id=_account_public_id(user),
        )
        if outcome == "review" and candidate is not None:
            _review_pair_propose(person=person, candidate=candidate, score=score, reasons=reasons)
    MatchDecision.objects.create(
        subject_kind=MatchDecision.SubjectKind.USER,
        subject_ref=f"user:{user.pk}",
        subject_user=user,
        person=person,
        candidate=candidate,
        outcome=outcome,
        score=score,
        reasons=reasons,
        # As for a roster row: the model that decided and each comparison's weight.
        model_version=model_row,
        model_label=model.version if model is not None else "",
        weights=weights_of(reasons),
    )
    return person
