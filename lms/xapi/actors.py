"""Who a platform account is in the LRS: read only, for every app that emits statements.

DESIGN.md: an actor is ``{"account": {"homePage": <site>, "name": <person's public UUID>}}``
and the registry resolves every statement's actor to one person. The apps that emit
(courses) never create that person: they read the account's actor here, and the registry's
statement consumer creates or finds the person when it first sees the actor.

The actor of an account is its person's public id once the registry has one (the survivor
after a merge), else the account's own ``User.actor_id``. The registry gives a new person
that very id as its public id, so the actor does not change when the person is made; when
the account is linked to a person who existed before (trained in person, then online), the
consumer links the statements sent under ``actor_id`` to that person
(``trainees.services.statements.actors_link``). Either way one person, and no statement
lost.

The registry plugs its read in at start-up (:func:`register_account_person`), as it plugs
in its statement consumer: this module imports no app.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

#: ``reader(user=...)`` -> the public id of the account's (surviving) person, or None.
PersonReader = Callable[..., uuid.UUID | None]

_READERS: list[PersonReader] = []


def register_account_person(reader: PersonReader) -> PersonReader:
    """Register the registry's read of an account's person; registering twice is a no-op."""
    if reader not in _READERS:
        _READERS.append(reader)
    return reader


def unregister_account_person(reader: PersonReader) -> None:
    if reader in _READERS:
        _READERS.remove(reader)


def _person_public_id(user) -> uuid.UUID | None:
    for reader in _READERS:
        public_id = reader(user=user)
        if public_id is not None:
            return public_id
    return None


def account_actor_uuid(*, user) -> uuid.UUID:
    """The name of the account's actor in the statements emitted now. Writes nothing."""
    return _person_public_id(user) or user.actor_id


def account_actor_uuids(*, user) -> tuple[uuid.UUID, ...]:
    """Every actor name the account's own statements may carry: its person's public id and
    the account's ``actor_id`` (statements made before the registry linked the account to
    a person who existed already, or queued on a phone meanwhile). The current one first."""
    current = account_actor_uuid(user=user)
    return (current,) if current == user.actor_id else (current, user.actor_id)
