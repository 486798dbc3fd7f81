"""Plain data passed into and out of the matching engine (no ORM, no settings)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = ["BatchGroup", "BatchResult", "Decision", "PersonRecord", "Thresholds"]

Outcome = Literal["link", "review", "new"]


@dataclass(frozen=True)
class PersonRecord:
    """One person as recorded: a registry person or a roster row.

    ``key`` is whatever the caller uses to find the person again (a primary key, a row
    number). ``identifiers`` is a mapping ``type -> value`` (or ``type -> [values]``) or an
    iterable of ``(type, value)`` pairs, values as typed: the engine normalises them and
    ignores, with a reason, the ones that do not validate.
    """

    key: Hashable
    given_names: str | None = None
    family_name: str | None = None
    full_name: str | None = None
    sex: Literal["F", "M"] | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    organisation: str | None = None
    residence: str | None = None
    identifiers: Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]] = field(
        default_factory=dict
    )


#: Match probability from which a pair links without a person (constraints permitting).
LINK_PROBABILITY = 0.95
#: Match probability from which a pair goes to the review queue.
REVIEW_PROBABILITY = 0.20


@dataclass(frozen=True)
class Thresholds:
    """Probability bands: ``>= link`` links automatically, ``>= review`` goes to a person.

    Tuned on the synthetic Malian rosters (bench/matching_engine.py): see docs/matching.md.
    """

    link: float = LINK_PROBABILITY
    review: float = REVIEW_PROBABILITY

    def __post_init__(self) -> None:
        if not 0.0 <= self.review <= self.link <= 1.0:
            raise ValueError("Thresholds need 0 <= review <= link <= 1")

    def outcome(self, score: float) -> Outcome:
        if score >= self.link:
            return "link"
        if score >= self.review:
            return "review"
        return "new"


@dataclass(frozen=True)
class Decision:
    """What to do with one record, and why.

    ``reasons`` are dicts ``{"code", "text", "params"}``: ``text`` is English, ``code`` and
    ``params`` let the UI show it in another language. ``alternatives`` lists other
    candidates that reached the review band, best first, as ``(key, score)``.
    """

    outcome: Outcome
    candidate: Hashable | None
    score: float
    reasons: list[dict] = field(default_factory=list)
    alternatives: tuple[tuple[Hashable, float], ...] = ()
    model_version: str = ""
    weights: dict = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [r["code"] for r in self.reasons]

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "candidate": self.candidate,
            "score": self.score,
            "reasons": list(self.reasons),
            "alternatives": [list(a) for a in self.alternatives],
            "model_version": self.model_version,
            "weights": self.weights,
        }


@dataclass(frozen=True)
class BatchGroup:
    """Rows of one batch that are one person, and what to do with that person.

    ``outcome`` is ``link`` (all rows belong to ``person``), ``review`` (a person must decide;
    ``candidates`` lists registry keys to compare with) or ``new`` (create one person).
    """

    rows: tuple[int, ...]
    outcome: Outcome
    person: Hashable | None
    candidates: tuple[Hashable, ...] = ()
    reasons: list[dict] = field(default_factory=list)
    score: float = 0.0


@dataclass(frozen=True)
class BatchResult:
    """``decisions[i]`` is row ``i`` against the registry; ``groups`` partitions the rows
    into people; ``pairs`` are within-batch pairs that scored in the link or review band;
    ``review_pairs`` are ``(group, group, decision)``: two groups of this file that may be one
    person, for a person to decide after both are written."""

    decisions: list[Decision]
    groups: list[BatchGroup]
    pairs: list[tuple[int, int, Decision]]
    review_pairs: list[tuple[int, int, Decision]] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(self.groups)
