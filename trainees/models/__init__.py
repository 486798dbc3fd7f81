"""The registry's models, one module per concept.

* people: :class:`Person`, :class:`Identifier`, :class:`StatementActor`
* organisations: :class:`Organisation`, :class:`Place`, :class:`Programme`
* training: :class:`TrainingEvent`, :class:`Participation`, :class:`OnlineOutcome`
* aggregates: :class:`AggregateSession`, :class:`AggregateCount` (headcounts, no names)
* decisions: :class:`MatchDecision`

Other parts of the app (imports, review) add their models with one import line below.
"""

# Models of the import and review packages (their own modules, the same app).
from trainees.imports.models import RosterImport, RosterRow  # noqa: F401
from trainees.review.models import Merge, MergedProvenance, ReviewPair  # noqa: F401

from .aggregates import AggregateCount, AggregateSession
from .choices import (
    AGE_BAND_SCHEMES,
    AgeBand,
    AggregateKind,
    EventKind,
    IdentifierType,
    OrganisationCategory,
    Outcome,
    PlaceKind,
    ReportingCategory,
    Sex,
    Source,
)
from .count_facts import CountFact, CountPerson  # noqa: F401
from .counting_cache import CountsCacheEntry, RegistryVersion  # noqa: F401
from .decisions import MatchDecision
from .linkage import LinkageModelVersion, LinkageTrainingRun, MergeBatch
from .organisations import Organisation, Place, Programme
from .people import Identifier, Person, StatementActor
from .training import OnlineOutcome, Participation, TrainingEvent

__all__ = [
    "AGE_BAND_SCHEMES",
    "AgeBand",
    "AggregateCount",
    "AggregateKind",
    "AggregateSession",
    "EventKind",
    "Identifier",
    "IdentifierType",
    "LinkageModelVersion",
    "LinkageTrainingRun",
    "MatchDecision",
    "MergeBatch",
    "OnlineOutcome",
    "Organisation",
    "OrganisationCategory",
    "Outcome",
    "Participation",
    "Person",
    "Place",
    "PlaceKind",
    "Programme",
    "ReportingCategory",
    "Sex",
    "Source",
    "StatementActor",
    "TrainingEvent",
]
