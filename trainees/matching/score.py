"""Pair scoring: the linkage model's probability that two prepared records are one person,
the constraints that hold a link for a person, and the evidence in words.

:func:`compare` asks the model (:mod:`.model`) for the probability and each comparison's
weight, then decides the band (link, review, new) and applies :func:`hold_reason`. The
evidence in words (:func:`name_similarity`: variants, typos, swapped names, particles; birth,
sex, organisation, phone, identifiers) is built only for the pairs that become a decision.

Name similarity works on canonical tokens (see :mod:`variants`): two tokens are equal when
their canonical keys are equal, different when both are known names with different keys, and
otherwise compared with rapidfuzz's normalised Indel similarity from 0.80 up. It explains; it
no longer scores.
"""

from __future__ import annotations

from math import log2

from rapidfuzz.distance import Indel

from .block import Prepared
from .features import ID_TYPES, features
from .model import WEAK_NAME_LEVELS, LinkageModel, PairEvidence, birth_level
from .records import Thresholds
from .variants import is_known

__all__ = [
    "PairScore",
    "compare",
    "default_model",
    "hold_reason",
    "name_similarity",
    "shifted",
    "token_similarity",
]

TOKEN_MIN = 0.80
PARTICLE_SIMILARITY = 0.85


# -- names ------------------------------------------------------------------------------------

_TOKEN_CACHE: dict[tuple[str, str], tuple[float, str]] = {}
_NAME_CACHE: dict[tuple, tuple] = {}
_CACHE_LIMIT = 500_000


def token_similarity(x: str, y: str) -> tuple[float, str]:
    """Similarity of two canonical tokens and its kind: equal, particle, fuzzy or none."""
    if x == y:
        return 1.0, "equal"
    cache_key = (x, y) if x < y else (y, x)
    hit = _TOKEN_CACHE.get(cache_key)
    if hit is not None:
        return hit
    bx, by = x.rpartition("+")[2], y.rpartition("+")[2]
    if bx == by:
        result = (PARTICLE_SIMILARITY, "particle")
    elif is_known(x) and is_known(y):
        result = (0.0, "none")  # two different names from the table: never the same
    else:
        sim = Indel.normalized_similarity(x, y)
        result = (sim, "fuzzy") if sim >= TOKEN_MIN else (0.0, "none")
    if len(_TOKEN_CACHE) > _CACHE_LIMIT:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[cache_key] = result
    return result


def _align(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple:
    pairs = []
    for i, x in enumerate(ta):
        for j, y in enumerate(tb):
            sim, kind = token_similarity(x, y)
            if sim > 0.0:
                pairs.append((-sim, x, y, i, j, kind))
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = []
    for neg, _x, _y, i, j, kind in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched.append((i, j, -neg, kind))
    extra_a = tuple(i for i in range(len(ta)) if i not in used_a)
    extra_b = tuple(j for j in range(len(tb)) if j not in used_b)
    return tuple(matched), extra_a, extra_b


def _aligned(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple:
    key = (ta, tb)
    hit = _NAME_CACHE.get(key)
    if hit is None:
        if len(_NAME_CACHE) > _CACHE_LIMIT:
            _NAME_CACHE.clear()
        hit = _NAME_CACHE[key] = _align(ta, tb)
    return hit


def name_similarity(a: Prepared, b: Prepared) -> tuple[float, list]:
    """Name similarity of two prepared records in 0..1 and its evidence."""
    ta, tb = a.tokens, b.tokens
    if not ta or not tb:
        return 0.0, [("no_name", {})]
    matched, extra_a, extra_b = _aligned(ta, tb)
    if not matched:
        return 0.0, [
            ("names_differ", {"tokens_a": list(a.raw), "tokens_b": list(b.raw)}),
        ]
    m = len(matched)
    mean = sum(s for _i, _j, s, _k in matched) / m
    evidence: list = []
    if extra_a and extra_b:
        score = mean * m / max(len(ta), len(tb)) * 0.8
        evidence.append(
            (
                "names_differ",
                {
                    "tokens_a": [a.raw[i] for i in extra_a],
                    "tokens_b": [b.raw[j] for j in extra_b],
                },
            )
        )
    elif extra_a or extra_b:
        side, extra = (a, extra_a) if extra_a else (b, extra_b)
        if m == 1:
            score = mean * 0.7
            i, j, _s, _k = matched[0]
            evidence.append(("single_name_in_common", {"tokens": [a.raw[i]]}))
        else:
            score = mean * (1.0 - 0.04 * len(extra))
            family_extra = side.n_given >= 0 and any(k >= side.n_given for k in extra)
            if family_extra:
                score *= 0.75
            evidence.append(
                (
                    "family_name_added" if family_extra else "name_added",
                    {"tokens": [side.raw[k] for k in extra]},
                )
            )
    else:
        score = mean if m >= 2 else mean * 0.7
        if m == 1:
            evidence.append(("single_name_in_common", {"tokens": [a.raw[matched[0][0]]]}))

    variants, typos, particles = [], [], []
    for i, j, _sim, kind in matched:
        if kind == "equal":
            if a.raw[i] != b.raw[j]:
                variants.append(f"{a.raw[i]}/{b.raw[j]}")
        elif kind == "fuzzy":
            typos.append(f"{a.raw[i]}/{b.raw[j]}")
        elif kind == "particle":
            particles.append(f"{a.raw[i]}/{b.raw[j]}")
    if variants:
        evidence.append(("name_variant", {"pairs": variants}))
    if typos:
        evidence.append(("name_typo", {"pairs": typos}))
    if particles:
        evidence.append(("particle_differs", {"pairs": particles}))
    if not (extra_a or extra_b) and not variants and not typos and not particles:
        evidence.insert(0, ("name_equal", {}))
    if _swapped(a, b, matched):
        evidence.append(("names_swapped", {}))
    return score, evidence


def _swapped(a: Prepared, b: Prepared, matched: tuple) -> bool:
    if a.n_given <= 0 or b.n_given <= 0:
        return False
    fam_a = [j for i, j, _s, _k in matched if i >= a.n_given]
    return bool(fam_a) and all(j < b.n_given for j in fam_a)


# -- the pair ---------------------------------------------------------------------------------


def _non_name(a: Prepared, b: Prepared, evidence: list) -> None:
    """Birth, sex, organisation and phone in words (the weights are the model's)."""
    ya, yb = a.birth_year, b.birth_year
    if ya is None or yb is None:
        evidence.append(("birth_unknown", {}))
    elif a.birth_date is not None and b.birth_date is not None:
        da, db = a.birth_date, b.birth_date
        if da == db:
            evidence.append(("birth_date_equal", {"date": da.isoformat()}))
        elif ya == yb and (da.day, da.month) == (db.month, db.day):
            evidence.append(
                (
                    "birth_date_transposed",
                    {"date_a": da.isoformat(), "date_b": db.isoformat()},
                )
            )
        elif birth_level(features(a), features(b)) == "one_digit_or_day":
            evidence.append(
                ("birth_date_typo", {"date_a": da.isoformat(), "date_b": db.isoformat()})
            )
        elif abs(ya - yb) > 1:
            evidence.append(("birth_year_conflict", {"year_a": ya, "year_b": yb}))
        else:
            evidence.append(
                ("birth_date_conflict", {"date_a": da.isoformat(), "date_b": db.isoformat()})
            )
    else:
        gap = abs(ya - yb)
        if gap == 0:
            evidence.append(("birth_year_equal", {"year": ya}))
        elif gap == 1:
            evidence.append(("birth_year_close", {"year_a": ya, "year_b": yb}))
        else:
            evidence.append(("birth_year_conflict", {"year_a": ya, "year_b": yb}))

    if a.sex and b.sex:
        if a.sex == b.sex:
            evidence.append(("sex_equal", {}))
        else:
            evidence.append(("sex_conflict", {"sex_a": a.sex, "sex_b": b.sex}))
    if a.organisation and a.organisation == b.organisation:
        evidence.append(("organisation_equal", {"organisation": a.organisation}))
    if a.phones and b.phones:
        shared = a.phones & b.phones
        if shared:
            evidence.append(("phone_shared", {"value": min(shared)}))
    if a.residence and b.residence:
        if a.residence == b.residence:
            evidence.append(("residence_equal", {"residence": a.residence}))
        elif features(a).residence_tokens & features(b).residence_tokens:
            evidence.append(
                ("residence_close", {"residence_a": a.residence, "residence_b": b.residence})
            )


class PairScore:
    """The probability and band of a pair, each comparison's weight; the evidence in words is
    built only when asked for."""

    __slots__ = ("_a", "_b", "_count", "_flipped", "_held", "_model", "outcome", "pair", "score")

    def __init__(self, score, outcome, a, b, flipped, pair, held, model, count=1):
        self.score = score
        self.outcome = outcome
        self.pair = pair
        self._a, self._b, self._flipped = a, b, flipped
        self._held, self._model, self._count = held, model, count

    @property
    def weights(self) -> dict:
        """``{"model", "prior", "weights": {comparison: {"level", "weight"}}}`` (bits)."""
        return {"model": self._model, **self.pair.to_dict()}

    @property
    def evidence(self) -> list:
        """``[(code, params)]`` read from the first record given to :func:`compare`."""
        a, b, pair = self._a, self._b, self.pair
        evidence: list = []
        for id_type in ID_TYPES:
            level = pair.levels.get(id_type)
            if level is None:
                continue
            va, vb = min(a.strong[id_type]), min(b.strong[id_type])
            if level == "exact":
                common = a.strong[id_type] & b.strong[id_type]
                evidence.append(("identifier_match", {"type": id_type, "value": min(common)}))
            elif level == "different":
                evidence.append(
                    ("identifier_conflict", {"type": id_type, "value_a": va, "value_b": vb})
                )
            else:
                evidence.append(
                    ("identifier_typo", {"type": id_type, "value_a": va, "value_b": vb})
                )
        if self._held and self._held[0] == "identifier_name_mismatch":
            evidence.insert(0, self._held)
        evidence += name_similarity(a, b)[1]
        _non_name(a, b, evidence)
        count = self._count
        if count > 1 and pair.levels.get("name") in ("exact", "variant"):
            evidence.append(
                ("name_common", {"count": count, "weight": round(pair.weights["name"], 2)})
            )
        if self._held and self._held[0] != "identifier_name_mismatch":
            evidence.append(self._held)
        evidence.append(
            (
                "model_weights",
                {
                    "model": self._model,
                    "prior": round(pair.prior, 2),
                    "weights": {k: [pair.levels[k], round(w, 2)] for k, w in pair.weights.items()},
                },
            )
        )
        if self._flipped:
            evidence = [(code, _flip(params)) for code, params in evidence]
        return evidence


_DEFAULT_MODEL = LinkageModel()


def default_model() -> LinkageModel:
    """The model of an empty registry (documented priors, :data:`.model.PRIORS`)."""
    return _DEFAULT_MODEL


#: Name levels at which the whole name agrees (spelling variants included).
FULL_NAME_LEVELS = frozenset({"exact", "variant"})


def _phone_corroborated(pair: PairEvidence) -> bool:
    """A shared phone may carry a link without a birth date when the whole name, the sex and
    the organisation agree as well. Relatives who share a phone share a family name, not
    a given name; a namesake in the same family and the same organisation, on the same phone,
    is far rarer than one person recorded twice (one row with the date, one without)."""
    return (
        pair.levels.get("name") in FULL_NAME_LEVELS
        and pair.levels.get("sex") == "equal"
        and pair.levels.get("organisation") == "equal"
    )


#: Identifier levels that say "the same number, mistyped".
ID_TYPO_LEVELS = frozenset({"leading_zeros", "one_edit"})


def given_names_meet(a: Prepared, b: Prepared) -> bool:
    """The two share a given name, or one lacks its given names or its family name: what a
    name that only half agrees looks like when it is one person (a family name changed at
    marriage or left blank, given names left out). Twins and siblings share the family
    name, not the given names."""
    if a.n_given < 0 or b.n_given < 0:
        return False
    given_a, family_a = set(a.tokens[: a.n_given]), set(a.tokens[a.n_given :])
    given_b, family_b = set(b.tokens[: b.n_given]), set(b.tokens[b.n_given :])
    if not (given_a and family_a and given_b and family_b):
        return True
    return bool(given_a & given_b)


def hold_reason(
    pair: PairEvidence, link: float, *, given_meet: bool = False
) -> tuple[str, dict] | None:
    """Why a pair, however probable, must not link without a person: two different values of
    one strong identifier, birth dates or sexes that truly disagree, names that do not agree
    when no strong identifier is shared, or a shared phone carrying the link on its own
    (families share phones, and fathers and sons names) where no birth date says otherwise,
    unless the whole name, the sex and the organisation agree too (:func:`_phone_corroborated`).

    Names that share one name link with a mistyped identifier (one edit, leading zeros) when
    the full date of birth agrees as well and the names meet as one person's do
    (``given_meet``, :func:`given_names_meet`): one number typed twice, one date, one given
    name."""
    if pair.strong_conflict:
        return ("held_identifier_conflict", {"types": pair.strong_conflict})
    if pair.birth_conflict and not pair.strong_shared:
        # A shared identifier says the date was mistyped (records_conflict agrees).
        return ("held_birth_conflict", {})
    if pair.levels.get("sex") == "different":
        return ("held_sex_conflict", {})
    name = pair.levels.get("name")
    weak = name in WEAK_NAME_LEVELS or name is None
    # Names that disagree link only with a shared strong identifier, and names that share
    # nothing only when the full date of birth agrees too (a name typed twice wrongly).
    corroborated = pair.strong_shared and (
        name not in ("different", None) or pair.levels.get("birth") == "exact"
    )
    if not corroborated and name == "one_name" and given_meet:
        corroborated = pair.levels.get("birth") == "exact" and any(
            pair.levels.get(t) in ID_TYPO_LEVELS for t in ID_TYPES
        )
    if weak and not corroborated:
        return ("held_names_disagree", {})
    if (
        "phone" in pair.weights
        and not pair.strong_shared
        and pair.levels.get("birth") is None
        and not _phone_corroborated(pair)
    ):
        without = pair.log2_odds - pair.weights["phone"]
        if 1.0 / (1.0 + 2.0 ** (-without)) < link:
            return ("held_phone_only", {})
    return None


def compare(
    a: Prepared,
    b: Prepared,
    thresholds: Thresholds,
    *,
    floor: float | None = None,
    name_count: int = 1,
    name_frequency: float | None = None,
    model: LinkageModel | None = None,
    population: int | None = None,
    prior_population: int | None = None,
    returning: float | None = None,
) -> PairScore | None:
    """Score a pair with the linkage model and decide its band. Symmetric.

    ``population`` is how many people the registry holds and ``name_count`` how many of them
    carry this name (the term frequency of the name); ``prior_population`` how many people
    the record could be (the registry by default; the file's rows for pairs inside one
    file). ``name_frequency`` is the count the model reads as the name's term frequency
    (``name_count`` smoothed, :meth:`.block.RegistryIndex.name_frequency`); ``name_count``
    itself is what the evidence says. Returns ``None`` when ``floor`` is given and the
    probability is below it.
    """
    flipped = b.order < a.order
    if flipped:
        a, b = b, a
    model = model or _DEFAULT_MODEL
    population = population or 1
    floor_log2 = None
    if floor is not None and 0.0 < floor < 1.0:
        floor_log2 = log2(floor / (1.0 - floor))
    pair = model.score(
        features(a),
        features(b),
        population=population,
        prior_population=prior_population,
        name_count=name_count if name_frequency is None else name_frequency,
        returning=returning,
        floor_log2=floor_log2,
    )
    if pair is None:
        return None
    return _banded(pair, a, b, flipped, thresholds, floor, model.version, name_count)


def _banded(pair, a, b, flipped, thresholds, floor, version, name_count) -> PairScore | None:
    p = pair.probability
    shared = pair.strong_shared
    if floor is not None and p < floor and not shared:
        return None
    outcome = thresholds.outcome(p)
    held = None
    if outcome == "new" and shared:
        # One strong identifier, names that do not agree: most often a mistyped number, but
        # a person must see it (never a silent new person holding someone else's number).
        t = shared[0]
        held = ("identifier_name_mismatch", {"type": t, "value": min(a.strong[t] & b.strong[t])})
        outcome = "review"
    elif outcome == "link":
        held = hold_reason(
            pair,
            thresholds.link,
            given_meet=pair.levels.get("name") == "one_name" and given_names_meet(a, b),
        )
        if held is not None:
            outcome = "review"
    return PairScore(p, outcome, a, b, flipped, pair, held, version, name_count)


def shifted(
    r: PairScore, delta: float, thresholds: Thresholds, *, floor: float | None = None
) -> PairScore | None:
    """``r`` with its prior moved by ``delta`` bits (another returning share), without
    comparing the records again: the levels and weights stay, the probability and the band
    follow."""
    pair = r.pair
    total = max(min(pair.log2_odds + delta, 60.0), -60.0)
    moved = PairEvidence(
        1.0 / (1.0 + 2.0 ** (-total)), total, pair.prior + delta, pair.levels, pair.weights
    )
    return _banded(moved, r._a, r._b, r._flipped, thresholds, floor, r._model, r._count)


def _flip(params: dict) -> dict:
    """Swap ``*_a`` and ``*_b`` parameters so evidence reads from the caller's first record."""
    if not params:
        return params
    out = {}
    for k, v in params.items():
        if k.endswith("_a"):
            k = k[:-2] + "_b"
        elif k.endswith("_b"):
            k = k[:-2] + "_a"
        out[k] = v
    return out
