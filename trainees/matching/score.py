"""Pair scoring: how likely two prepared records are one person, with the evidence.

The score is a weighted sum clamped to 0..1, built so that a name alone can never link:

=========================================  ===========  ====================================
evidence                                   weight       why
=========================================  ===========  ====================================
name similarity (0..1)                     x 0.80       equal names: 0.80, review band only
same full date of birth                    +0.15        names + date: 0.95, links
day and month swapped                      +0.05        a frequent typing error
same year (a side has only the year)       +0.04        names + year + sex + unit: 0.89
years one apart                            -0.05        "born about" ages turned into years
different full dates / years > 1 apart     -0.25/-0.40  strong: namesakes are common
same sex / different sex                   +0.02/-0.20  a sex conflict never links
same organisation                          +0.03        people move: no penalty if not
shared phone                               +0.06        weak: families share phones
same type of strong identifier, different  -0.25        strong, but typing errors exist
name shared by n registry people           -r*log2(n)   r = 0.010 / 0.020 / 0.030, see below
=========================================  ===========  ====================================

The weights are a hand-set version of Fellegi-Sunter log-likelihood weights for Malian
rosters. The last line is the name's frequency: the most common name pairs (Moussa Traoré,
Fatoumata Coulibaly) are carried by hundreds of people per 100,000, so equal names say less
the more people share them. The rate ``r`` is 0.010 when a full birth date, a phone or an
identifier corroborates the names, 0.020 when only the birth year agrees and 0.030 when
nothing does (capped at 0.20). A strong identifier shared by both records decides on its own
(see :func:`compare`).

Name similarity works on canonical tokens (see :mod:`variants`): two tokens are equal when
their canonical keys are equal, different (0) when both are known names with different keys,
and otherwise compared with rapidfuzz's normalised Indel similarity, kept only from 0.80 up
(a dropped or doubled letter). Tokens are aligned greedily, best pair first, which is
order-free: swapped given and family names score as equal names. Then:

* all tokens aligned: the mean similarity (a single token on both sides: x 0.7);
* one side has extra tokens (an added given name): mean x (1 - 0.04 per extra), x 0.75 if the
  extra token is a family name, x 0.7 if only one token is in common;
* both sides have unaligned tokens (Moussa Traoré / Mamadou Traoré): mean x share aligned x 0.8,
  which keeps them far below review.
"""

from __future__ import annotations

from math import log2

from rapidfuzz.distance import Indel

from .block import Prepared
from .features import ID_TYPES, features
from .model import WEAK_NAME_LEVELS, LinkageModel, PairEvidence
from .records import Thresholds
from .variants import is_known

__all__ = [
    "PairScore",
    "common_name_penalty",
    "compare",
    "default_model",
    "hold_reason",
    "name_similarity",
    "shifted",
    "token_similarity",
]

W_NAME = 0.80
W_BIRTH_DATE = 0.15
W_BIRTH_TRANSPOSED = 0.05
W_BIRTH_YEAR = 0.04
W_BIRTH_YEAR_CLOSE = -0.05
W_BIRTH_DATE_CONFLICT = -0.25
W_BIRTH_YEAR_CONFLICT = -0.40
W_SEX = 0.02
W_SEX_CONFLICT = -0.20
W_ORGANISATION = 0.03
W_PHONE = 0.06
W_IDENTIFIER_CONFLICT = -0.25
PENALTY_CORROBORATED = 0.010  # same full birth date, phone or identifier
PENALTY_YEAR = 0.02  # same birth year
PENALTY_UNCORROBORATED = 0.03  # nothing but the names
PENALTY_CAP = 0.20

TOKEN_MIN = 0.80
PARTICLE_SIMILARITY = 0.85
ID_NAME_MIN = 0.50  # below this, a shared identifier is more likely a typing error


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


def _name_score(a: Prepared, b: Prepared) -> float:
    """:func:`name_similarity` without the evidence, cached on the canonical tokens."""
    key = (a.tokens, b.tokens, a.n_given, b.n_given)
    hit = _SCORE_CACHE.get(key)
    if hit is None:
        if len(_SCORE_CACHE) > _CACHE_LIMIT:
            _SCORE_CACHE.clear()
        hit = _SCORE_CACHE[key] = name_similarity(a, b)[0]
    return hit


_SCORE_CACHE: dict[tuple, float] = {}


def common_name_penalty(count: int, corroborated: bool | str) -> float:
    """How much a common name takes off, given how many registry people share it.

    Equal names are weaker evidence the more people carry them: with 500 Moussa Traoré in
    100,000 people, about one in thirty has a namesake born the same day. The penalty grows
    with log2(count) (Fellegi-Sunter: the name's weight is log2(N/count)), three times as fast
    when nothing but the names agree; ``corroborated == "year"`` (only the birth year agrees)
    sits in between.
    """
    if count <= 1:
        return 0.0
    if corroborated == "year":
        rate = PENALTY_YEAR
    else:
        rate = PENALTY_CORROBORATED if corroborated else PENALTY_UNCORROBORATED
    return min(PENALTY_CAP, rate * log2(count))


# -- the pair ---------------------------------------------------------------------------------


def _non_name(a: Prepared, b: Prepared, evidence: list | None) -> tuple[float, bool | str]:
    """Birth, sex, organisation and phone. Returns the total and whether the birth date or a
    phone corroborates the names. ``evidence`` is filled only when given (explanations)."""
    total = 0.0
    corroborated = False
    ya, yb = a.birth_year, b.birth_year
    if ya is None or yb is None:
        if evidence is not None:
            evidence.append(("birth_unknown", {}))
    elif a.birth_date is not None and b.birth_date is not None:
        da, db = a.birth_date, b.birth_date
        if da == db:
            total += W_BIRTH_DATE
            corroborated = True
            if evidence is not None:
                evidence.append(("birth_date_equal", {"date": da.isoformat()}))
        elif ya == yb and (da.day, da.month) == (db.month, db.day):
            total += W_BIRTH_TRANSPOSED
            if evidence is not None:
                evidence.append(
                    (
                        "birth_date_transposed",
                        {"date_a": da.isoformat(), "date_b": db.isoformat()},
                    )
                )
        elif abs(ya - yb) > 1:
            total += W_BIRTH_YEAR_CONFLICT
            if evidence is not None:
                evidence.append(("birth_year_conflict", {"year_a": ya, "year_b": yb}))
        else:
            total += W_BIRTH_DATE_CONFLICT
            if evidence is not None:
                evidence.append(
                    ("birth_date_conflict", {"date_a": da.isoformat(), "date_b": db.isoformat()})
                )
    else:
        gap = abs(ya - yb)
        if gap == 0:
            total += W_BIRTH_YEAR
            corroborated = "year"
            if evidence is not None:
                evidence.append(("birth_year_equal", {"year": ya}))
        elif gap == 1:
            total += W_BIRTH_YEAR_CLOSE
            if evidence is not None:
                evidence.append(("birth_year_close", {"year_a": ya, "year_b": yb}))
        else:
            total += W_BIRTH_YEAR_CONFLICT
            if evidence is not None:
                evidence.append(("birth_year_conflict", {"year_a": ya, "year_b": yb}))

    if a.sex and b.sex:
        if a.sex == b.sex:
            total += W_SEX
            if evidence is not None:
                evidence.append(("sex_equal", {}))
        else:
            total += W_SEX_CONFLICT
            if evidence is not None:
                evidence.append(("sex_conflict", {"sex_a": a.sex, "sex_b": b.sex}))
    if a.organisation and a.organisation == b.organisation:
        total += W_ORGANISATION
        if evidence is not None:
            evidence.append(("organisation_equal", {"organisation": a.organisation}))
    if a.phones and b.phones:
        shared = a.phones & b.phones
        if shared:
            total += W_PHONE
            corroborated = True
            if evidence is not None:
                evidence.append(("phone_shared", {"value": min(shared)}))
    return total, corroborated


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


def hold_reason(pair: PairEvidence, link: float) -> tuple[str, dict] | None:
    """Why a pair, however probable, must not link without a person: two different values of
    one strong identifier, birth dates or sexes that truly disagree, names that do not agree
    when no strong identifier is shared, or a shared phone carrying the link on its own
    (families share phones, and fathers and sons names) where no birth date says otherwise."""
    if pair.strong_conflict:
        return ("held_identifier_conflict", {"types": pair.strong_conflict})
    if pair.birth_conflict:
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
    if weak and not corroborated:
        return ("held_names_disagree", {})
    if "phone" in pair.weights and not pair.strong_shared and pair.levels.get("birth") is None:
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
    model: LinkageModel | None = None,
    population: int | None = None,
    prior_population: int | None = None,
    returning: float | None = None,
) -> PairScore | None:
    """Score a pair with the linkage model and decide its band. Symmetric.

    ``population`` is how many people the registry holds and ``name_count`` how many of them
    carry this name (the term frequency of the name); ``prior_population`` how many people
    the record could be (the registry by default; the file's rows for pairs inside one
    file). Returns ``None`` when ``floor`` is given and the probability is below it.
    """
    flipped = b.order < a.order
    if flipped:
        a, b = b, a
    model = model or _DEFAULT_MODEL
    population = population or 1
    pair = model.score(
        features(a),
        features(b),
        population=population,
        prior_population=prior_population,
        name_count=name_count,
        returning=returning,
    )
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
        held = hold_reason(pair, thresholds.link)
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
