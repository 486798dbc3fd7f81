"""Pure-Python person matching for the registry: no ORM, no settings, plain data in and out.

Typical use::

    index = RegistryIndex(person_records)              # once, from the registry
    decision = match_record(row, index)                # one row
    result = match_batch(rows, index)                  # a roster: decisions + groups
    pairs = duplicate_scan(index, exclude_pairs=known_different)

See docs/matching.md for the algorithm, the thresholds and the measured quality.
"""

from .block import Blocker, Prepared, RegistryIndex, prepare
from .engine import duplicate_scan, match_batch, match_record
from .explain import REASON_TEXTS, render
from .normalise import (
    IDENTIFIER_TYPES,
    STRONG_IDENTIFIER_TYPES,
    WEAK_IDENTIFIER_TYPES,
    IdentifierError,
    identifier_error,
    name_tokens,
    normalise_identifier,
    normalise_phone,
    normalise_text,
)
from .records import BatchGroup, BatchResult, Decision, PersonRecord, Thresholds
from .score import compare, name_similarity, token_similarity
from .variants import VARIANT_GROUPS, canonical_name, canonical_token, skeleton

__all__ = [
    "IDENTIFIER_TYPES",
    "REASON_TEXTS",
    "STRONG_IDENTIFIER_TYPES",
    "VARIANT_GROUPS",
    "WEAK_IDENTIFIER_TYPES",
    "BatchGroup",
    "BatchResult",
    "Blocker",
    "Decision",
    "IdentifierError",
    "PersonRecord",
    "Prepared",
    "RegistryIndex",
    "Thresholds",
    "canonical_name",
    "canonical_token",
    "compare",
    "duplicate_scan",
    "identifier_error",
    "match_batch",
    "match_record",
    "name_similarity",
    "name_tokens",
    "normalise_identifier",
    "normalise_phone",
    "normalise_text",
    "prepare",
    "render",
    "skeleton",
    "token_similarity",
]
