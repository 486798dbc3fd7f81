"""Reads from the registry (STYLE.md: reads in selectors).

* people: :func:`person_for_user`, :func:`person_public_id_for_user`, :func:`person_agents`,
  :func:`person_for_agent_key`, :func:`person_records`, :func:`people_search`
* counting: the one place reports count people; see :mod:`trainees.selectors.counting`.
"""

from .counting import (
    Breakdown,
    CountScope,
    CountScopeError,
    Row,
    participations_count,
    participations_in_scope,
    people_breakdown,
    people_count,
    people_in_scope,
    people_new_breakdown,
    people_reached,
    people_reached_breakdown,
)
from .people import (
    people_search,
    person_agent_keys,
    person_agents,
    person_for_agent_key,
    person_for_user,
    person_public_id_for_user,
    person_records,
)

__all__ = [
    "Breakdown",
    "CountScope",
    "CountScopeError",
    "Row",
    "participations_count",
    "participations_in_scope",
    "people_breakdown",
    "people_count",
    "people_in_scope",
    "people_new_breakdown",
    "people_reached",
    "people_reached_breakdown",
    "people_search",
    "person_agent_keys",
    "person_agents",
    "person_for_agent_key",
    "person_for_user",
    "person_public_id_for_user",
    "person_records",
]
