"""The one place that counts people (issue 5, item 9). Reports build on these functions only.

What is counted
    Distinct *surviving* people: ``COUNT(DISTINCT participation.person_id)``. A merge
    (``trainees.review.services.person_merge``) re-points every participation of the merged
    person to the survivor and its undo puts them back, so a participation's person is always
    a surviving person (``participation_record`` also records on the survivor). Counting the
    column directly, without joining people, is what keeps a figure over a million rows fast;
    the invariant "a merged person holds no live participation" is checked by the tests of
    the merge. Voided participations (their statement was voided in the LRS) count nowhere.
    Names are never needed: one aggregate query per figure.

Where the rows are read
    On PostgreSQL counts read the counting table ``CountFact`` (one narrow row per live
    participation, the person's sex, the age at the activity and the organisation's
    categories copied in) and, for a scope with no filter but its figure (the dashboard's
    default "since the start"), the per-person summaries ``CountPerson``; both are kept exact
    by database triggers on every write (``trainees.models.count_facts``). SQLite counts
    from the participations. The drill-down always lists participations, so "the people
    behind a number are as many as the number" also proves the tables equal to their source.

Scope (:class:`CountScope`)
    Every filter is optional and filters are combined with AND; values inside one filter are
    combined with OR. ``outcomes`` picks which participations qualify (union of tokens):

    * ``trained`` - an outcome the participation's programme lists in its
      ``qualifying_outcomes`` (completed or passed by default; awareness programmes also count
      attendance). A participation without a programme qualifies when completed or passed.
      Attended-but-failed is never trained.
    * ``briefed`` - present at a briefing (an event of kind ``briefing``), whatever the outcome.
    * ``attended`` - present at anything: every live participation, whatever the outcome.
    * ``completed``, ``passed``, ``failed`` - exactly that recorded outcome.

    Places and organisations include their descendants (a region includes its cercles and
    communes; the armed forces include their units). Organisation and place are those recorded
    on the participation (people move). Dates are inclusive and apply to the participation's
    date (the event's end date, or the online completion date).

Disaggregation
    Sex is the person's (the survivor's after a merge). Age is computed at the date of each
    qualifying participation: full years from the date of birth, or ``year(activity) -
    birth_year`` when only a year is known; ``unknown`` when neither is. Band schemes are in
    ``trainees.models.AGE_BAND_SCHEMES`` (``default``: under 18 / 18 and over; ``fine``: 0-4,
    5-12, 13-17, 18-24, 25-59, 60+).

Breakdowns
    :func:`people_breakdown` counts each person once per row. A person can fall in several rows
    of most dimensions (two programmes, two years, two age bands across birthdays): then the
    rows can sum to more than :func:`people_count`, and ``Breakdown.overlapping`` says so. Only
    ``sex`` is a true partition.

Periods
    Cumulative figures ("since 2013") are a scope without ``date_from``; per-period figures are
    a breakdown by ``year`` or ``month``; :func:`people_new_breakdown` counts people whose first
    qualifying participation *ever* (within the scope's other filters) falls in each period.

Uncertainty
    While pairs wait in the review queue every figure of people has a range: as it stands,
    the lowest it could fall to (all waiting pairs among its people merged) and the model's
    expected count; :func:`people_ranges` computes it for a figure and all its breakdown rows
    at once (``uncertainty.py`` says how).

Aggregate sessions (headcounts without names) are reported as "people reached" by
:func:`people_reached` / :func:`people_reached_breakdown`, never inside unique counts.
"""

from .combined import Breakdowns, people_breakdowns
from .drilldown import participations_in_row, people_in_row
from .people import (
    participations_changed,
    participations_count,
    participations_in_scope,
    people_breakdown,
    people_count,
    people_in_scope,
    people_new_and_cumulative,
    people_new_breakdown,
)
from .queries import PERSON_KEY, MonthDayOf, YearMonthOf, YearOf  # noqa: F401  (public helpers)
from .reached import people_reached, people_reached_breakdown
from .scope import (
    BREAKDOWN_DIMENSIONS,
    OUTCOME_DEFINITIONS,
    REACHED_DIMENSIONS,
    Breakdown,
    CountScope,
    CountScopeError,
    Row,
)
from .uncertainty import (
    CountRange,
    PendingPairs,
    pending_pairs,
    people_count_range,
    people_ranges,
    queryset_range,
)

__all__ = [
    "BREAKDOWN_DIMENSIONS",
    "OUTCOME_DEFINITIONS",
    "REACHED_DIMENSIONS",
    "Breakdown",
    "Breakdowns",
    "CountRange",
    "CountScope",
    "CountScopeError",
    "PendingPairs",
    "Row",
    "participations_changed",
    "participations_count",
    "participations_in_row",
    "participations_in_scope",
    "pending_pairs",
    "people_breakdown",
    "people_breakdowns",
    "people_count",
    "people_count_range",
    "people_in_row",
    "people_in_scope",
    "people_new_and_cumulative",
    "people_new_breakdown",
    "people_ranges",
    "people_reached",
    "people_reached_breakdown",
    "queryset_range",
]
