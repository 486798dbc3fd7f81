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
    identifiers: Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class Thresholds:
    """Score bands: ``>= link`` links automatically, ``>= review`` goes to a person."""

    link: float = 0.90
    review: float = 0.70

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


@dataclass(frozen=True)
class BatchResult:
    """``decisions[i]`` is row ``i`` against the registry; ``groups`` partitions the rows
    into people; ``pairs`` are within-batch pairs that scored in the link or review band."""

    decisions: list[Decision]
    groups: list[BatchGroup]
    pairs: list[tuple[int, int, Decision]]

    @property
    def people(self) -> int:
        return len(self.groups)
