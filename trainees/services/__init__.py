"""Writes to the registry. Every write goes through these functions (STYLE.md).

* people: :func:`person_create`, :func:`person_names_set`, :func:`identifier_add`,
  :func:`person_for_user_ensure`
* participations: :func:`participation_record`, :func:`participation_void`,
  :func:`participation_online_record`, :func:`participations_void_for_statements`
* online learning (the statement consumer's): :func:`online_outcomes_consume`,
  :func:`online_outcomes_void`, :func:`online_outcomes_backfill`
* events: :func:`training_event_create`, :func:`training_event_update`
* aggregates: :func:`aggregate_session_record`
* organisations: :func:`organisation_ensure`, :func:`place_ensure`
"""

from .aggregates import aggregate_session_record
from .events import training_event_create, training_event_update
from .online import online_outcomes_backfill, online_outcomes_consume, online_outcomes_void
from .organisations import organisation_ensure, place_ensure
from .participations import (
    Provenance,
    participation_online_record,
    participation_record,
    participation_statement,
    participation_void,
    participations_void_for_statements,
)
from .people import (
    identifier_add,
    person_create,
    person_for_user_ensure,
    person_names_normalised,
    person_names_set,
)

__all__ = [
    "Provenance",
    "aggregate_session_record",
    "identifier_add",
    "online_outcomes_backfill",
    "online_outcomes_consume",
    "online_outcomes_void",
    "organisation_ensure",
    "participation_online_record",
    "participation_record",
    "participation_statement",
    "participation_void",
    "participations_void_for_statements",
    "person_create",
    "person_for_user_ensure",
    "person_names_normalised",
    "person_names_set",
    "place_ensure",
    "training_event_create",
    "training_event_update",
]
