"""The registry's statement consumer: LRS actors resolved to people, voids applied, course
outcomes recorded as participations (``trainees.services.online``).

Registered ``on_commit`` in ``TraineesConfig.ready``. The LRS calls it with every stored
batch (from the platform's own emitter and from external tools alike).
"""

from __future__ import annotations

import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model

from trainees.models import Person, StatementActor

from .online import online_outcomes_consume, online_outcomes_void
from .participations import participations_void_for_statements
from .people import person_for_user_ensure

logger = logging.getLogger(__name__)


def _person_for_email(email: str) -> Person | None:
    """The person behind an e-mail: the account's person, else the one registry person
    with that address. Several people with one address (a shared office mailbox) resolve to
    nobody: guessing would merge their records."""
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        return person_for_user_ensure(user=user)
    people = list(Person.objects.filter(email__iexact=email, merged_into__isnull=True)[:2])
    return people[0] if len(people) == 1 else None


def statements_consume(stored: list) -> None:
    """Apply a stored batch to the registry.

    * A statement whose actor is not one of the platform's person accounts (an e-mail from an
      authoring tool, another system's account) is linked to a person in
      :class:`StatementActor` when the actor is known: an e-mail of an account (whose person
      is found or made by the account matching) or of exactly one person, or an actor
      already linked before. Unknown actors are left unlinked (counted in one debug line a
      batch; the LRS admin lists them): creating people from bare e-mails would fill the
      registry with nameless duplicates.
    * A voiding statement voids the participation whose statement it targets (an online
      delivery falls back to its other live outcomes), so every count follows a correction
      made in the LRS.
    * A course outcome (completed, passed, failed) becomes a participation of the actor's
      person (``trainees.services.online``). An account the registry has no person for yet
      (its ``User.actor_id`` as actor, see ``lms.xapi.actors``) gets its person there: the
      registry makes it, never the course engine.
    """
    actors_link(stored=stored)
    online_outcomes_consume(stored=stored)  # before the voids: a batch may void its own
    voided = [s.voided_target_id for s in stored if s.voided_target_id]
    online_outcomes_void(statement_ids=voided)
    participations_void_for_statements(statement_ids=voided)


def actors_link(*, stored: list) -> None:
    """Link the batch's foreign actors to people (see :func:`statements_consume`)."""
    own_prefix = f"account:{settings.SITE_URL}|"
    foreign = [s for s in stored if s.actor_key and not s.actor_key.startswith(own_prefix)]
    if not foreign:
        return
    keys = {s.actor_key for s in foreign}
    known = dict(
        StatementActor.objects.filter(actor_key__in=keys)
        .order_by("actor_key", "pk")
        .values_list("actor_key", "person_id")
    )
    links = []
    unlinked: Counter[str] = Counter()
    looked_up: set[str] = set()  # each e-mail resolved once per batch, found or not
    for statement in foreign:
        person_id = known.get(statement.actor_key)
        if (
            person_id is None
            and statement.actor_key.startswith("mbox:mailto:")
            and statement.actor_key not in looked_up
        ):
            looked_up.add(statement.actor_key)
            person = _person_for_email(statement.actor_key.removeprefix("mbox:mailto:"))
            person_id = person.pk if person is not None else None
            if person_id is not None:
                known[statement.actor_key] = person_id
        if person_id is None:
            unlinked[statement.actor_key] += 1
            continue
        links.append(
            StatementActor(
                statement_id=statement.id, actor_key=statement.actor_key, person_id=person_id
            )
        )
    StatementActor.objects.bulk_create(links, ignore_conflicts=True)
    if unlinked:
        # One line a batch, not one a statement; the LRS admin lists the actors
        # (xAPI > Unlinked actors).
        logger.debug(
            "%d statements from %d actors outside the registry",
            sum(unlinked.values()),
            len(unlinked),
        )
