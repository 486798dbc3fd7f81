"""Reads about people: the account's person, LRS agents, matching records, search."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet

from trainees.matching import IdentifierError, PersonRecord, normalise_identifier, normalise_text
from trainees.models import Identifier, IdentifierType, Person, StatementActor


def person_for_user(*, user) -> Person | None:
    """The person an account belongs to (the survivor after a merge), or ``None``.

    Read-only: use ``trainees.services.person_for_user_ensure`` to create it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    person = Person.objects.filter(user=user).select_related("merged_into").first()
    if person is None:
        return None
    return person.merged_into or person


def person_public_id_for_user(*, user) -> UUID | None:
    """The public id of the account's (surviving) person, or ``None``: the registry's read
    behind ``lms.xapi.actors.account_actor_uuid`` (registered in ``TraineesConfig.ready``).
    One query; writes nothing."""
    if getattr(user, "pk", None) is None:
        return None
    row = (
        Person.objects.filter(user_id=user.pk)
        .values_list("public_id", "merged_into__public_id")
        .first()
    )
    if row is None:
        return None
    return row[1] or row[0]


def _account_key(public_id: UUID | str) -> str:
    return f"account:{settings.SITE_URL}|{public_id}"


def _agent_from_key(key: str) -> dict | None:
    kind, _sep, value = key.partition(":")
    if kind == "mbox":
        return {"objectType": "Agent", "mbox": value}
    if kind == "mbox_sha1sum":
        return {"objectType": "Agent", "mbox_sha1sum": value}
    if kind == "openid":
        return {"objectType": "Agent", "openid": value}
    if kind == "account":
        home, _bar, name = value.partition("|")
        return {"objectType": "Agent", "account": {"homePage": home, "name": name}}
    return None


def person_for_agent_key(*, agent_key: str) -> Person | None:
    """The (surviving) person an xAPI agent key (``lms.xapi.spec.agent_ifi_key``) stands for.

    The platform's own accounts carry the person's public id (or, before the registry had a
    person for the account, the account's ``actor_id``); any other actor is found through
    :class:`StatementActor`, which the statement consumer fills.
    """
    prefix = _account_key("")
    person = None
    if agent_key.startswith(prefix):
        try:
            public_id = UUID(agent_key[len(prefix) :])
        except ValueError:
            public_id = None
        if public_id is not None:
            person = (
                Person.objects.filter(public_id=public_id).select_related("merged_into").first()
            ) or _person_for_actor_id(public_id)
    if person is None:
        link = (
            StatementActor.objects.filter(actor_key=agent_key)
            .select_related("person__merged_into")
            .first()
        )
        person = link.person if link is not None else None
    if person is None:
        return None
    return person.merged_into or person


def _person_for_actor_id(actor_id: UUID) -> Person | None:
    """The person of the account whose own actor id this is (``User.actor_id``: statements
    sent before the registry linked the account to a person who existed already)."""
    return Person.objects.filter(user__actor_id=actor_id).select_related("merged_into").first()


def person_agent_keys(*, person: Person) -> list[str]:
    """Every agent key of a person: their account, merged people's accounts, other actors."""
    survivor = person.merged_into or person
    people = list(
        Person.objects.filter(Q(pk=survivor.pk) | Q(merged_into=survivor))
        .order_by("pk")
        .values_list("pk", "public_id", "user__actor_id")
    )
    keys = [_account_key(public_id) for _pk, public_id, _actor in people]
    for _pk, _public_id, actor_id in people:
        if actor_id is not None and _account_key(actor_id) not in keys:
            keys.append(_account_key(actor_id))
    others = (
        StatementActor.objects.filter(person_id__in=[row[0] for row in people])
        .order_by("actor_key")
        .values_list("actor_key", flat=True)
        .distinct()
    )
    keys.extend(key for key in others if key not in keys)
    return keys


def person_agents(*, agent_key: str) -> list[dict]:
    """All xAPI agents of the person behind ``agent_key`` (for the LRS Agents resource).

    An unknown key returns just that agent: the Agents resource then answers with a Person
    object holding it alone, as the spec asks.
    """
    person = person_for_agent_key(agent_key=agent_key)
    keys = person_agent_keys(person=person) if person is not None else [agent_key]
    return [agent for key in keys if (agent := _agent_from_key(key)) is not None]


def person_records(people: Iterable[Person] | QuerySet) -> list[PersonRecord]:
    """People as the matching engine's records (key = primary key), identifiers included.

    Two queries whatever the number of people: the people and their identifiers.
    """
    people = list(people)
    identifiers: dict[int, list[tuple[str, str]]] = {}
    for person_id, id_type, value in Identifier.objects.filter(
        person_id__in=[p.pk for p in people]
    ).values_list("person_id", "type", "value_normalised"):
        identifiers.setdefault(person_id, []).append((id_type, value))
    return [
        PersonRecord(
            key=p.pk,
            given_names=p.given_names,
            family_name=p.family_name,
            sex=p.sex or None,
            birth_date=p.birth_date,
            birth_year=p.birth_year,
            residence=p.residence or None,
            identifiers=identifiers.get(p.pk, []),
        )
        for p in people
    ]


def people_search(*, query: str = "", queryset: QuerySet | None = None) -> QuerySet[Person]:
    """Surviving people whose name contains every word of ``query``, or who hold an
    identifier equal to it (in any accepted spelling)."""
    people = (queryset if queryset is not None else Person.objects.all()).filter(
        merged_into__isnull=True
    )
    query = (query or "").strip()
    if not query:
        return people
    identifier_q = Q()
    for id_type in IdentifierType.values:
        try:
            value = normalise_identifier(id_type, query)
        except IdentifierError:
            continue
        identifier_q |= Q(identifiers__type=id_type, identifiers__value_normalised=value)
    name_q = Q()
    for word in normalise_text(query).split():
        name_q &= Q(full_name_normalised__contains=word)
    matches = Person.objects.filter(name_q | identifier_q if identifier_q else name_q)
    return people.filter(pk__in=matches.values("pk"))
