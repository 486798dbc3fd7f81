"""Properties: normalisation is idempotent, row order never changes the people counted."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainees.matching import (
    RegistryIndex,
    canonical_name,
    match_batch,
    name_tokens,
    normalise_identifier,
    normalise_text,
)
from trainees.synthetic import (
    as_record,
    generate_people,
    generate_rosters,
    registry_rows,
)

NAMEY = st.text(
    alphabet=st.sampled_from([*"aAbcDeéÉèfgiïÏkKlmnoôOrsStTuüyY -'.’", "\u0301"]),
    max_size=30,
)


@given(st.text(max_size=60))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(NAMEY)
def test_name_tokens_are_stable(text):
    tokens = name_tokens(text)
    assert all(t and " " not in t for t in tokens)
    assert canonical_name(" ".join(t.replace("+", " ") for t in tokens)) == canonical_name(text)


@given(st.from_regex(r"(\+223|00223)?[ .]?[5-9]\d([ .]?\d\d){3}", fullmatch=True))
def test_phone_normalisation_is_idempotent(raw):
    once = normalise_identifier("phone", raw)
    assert normalise_identifier("phone", once) == once


_PEOPLE = generate_people(600, seed=11)
_INDEX = RegistryIndex(
    as_record(r, p["truth"])
    for r, p in zip(registry_rows(_PEOPLE[:400], seed=12), _PEOPLE[:400], strict=True)
)
_ROWS = [
    row
    for roster in generate_rosters(_PEOPLE, 3, 40, seed=13, duplicate_rate=0.15)
    for row in roster
]
_EXTRA = [
    {"given_names": "Moussa", "family_name": "Traoré", "sex": "M", "birth_date": date(1985, 3, 4)},
    {"given_names": "TRAORE", "family_name": "Mousa", "birth_date": date(1985, 3, 4)},
    {"given_names": "Moussa", "family_name": "Traore", "birth_year": 1985},
]


def _partition(rows, order):
    result = match_batch([as_record(rows[i], n) for n, i in enumerate(order)], _INDEX)
    return result.people, sorted(sorted(order[i] for i in g.rows) for g in result.groups)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(len(_ROWS) + len(_EXTRA))))
def test_row_order_does_not_change_the_people(order):
    rows = _ROWS + _EXTRA
    baseline = _partition(rows, list(range(len(rows))))
    assert _partition(rows, list(order)) == baseline
