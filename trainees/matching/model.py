"""The probabilistic linkage model (Fellegi-Sunter): comparisons, priors, scoring, training.

Each comparison puts a pair of records in one level (names exact, same variant, ...). A level
has an m-probability (how often one person's two records fall in it) and a u-probability (how
often two different people's do); its weight is ``log2(m / u)``, the evidence in bits. The
match probability is the prior odds times the product of the Bayes factors:

    log2 odds = log2(rho / (1 - rho)) - log2(N) + sum of weights

where ``N`` is how many people the record could be (the registry's size, or the rows of the
file for pairs inside one file) and ``rho`` the share of records that are someone already
there (people returning for another course).

Names carry a term-frequency adjustment, as splink does: agreeing on a name carried by ``n`` of
``N`` people has ``u = n / N`` (Moussa Traoré is weak evidence, a rare name strong).

**Where the parameters come from.** :data:`PRIORS` are documented starting values for an
empty or tiny registry. :func:`model_train` learns them from the registry with splink 5 on
DuckDB: u by random sampling, the prior by deterministic rules, m by expectation-maximisation
in sessions blocked on birth date, name and identifiers; m-probabilities are kept above a floor
and blended with the priors when the registry is small, so a few hundred people cannot produce
absurd weights. Fewer than :data:`MIN_RECORDS_TO_TRAIN` people keeps the previous model.

**Inference.** splink's own ``predict`` on DuckDB and this module's scorer read the same
parameters and the same comparison levels (each level has a Python test and its SQL twin).
The engine uses the Python scorer on the candidates of its blocking index: at import a
roster meets a few thousand candidates, which Python scores in milliseconds, while a DuckDB
predict costs the table's registration and SQL planning on every import (docs/matching.md
has the figures).

This module imports neither the ORM nor settings.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from math import log2

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .features import ID_TYPES, VETO_TYPES, Features, identifier_number
from .variants import is_known

__all__ = [
    "COMPARISONS",
    "MIN_RECORDS_TO_TRAIN",
    "PRIORS",
    "LinkageModel",
    "PairEvidence",
    "TrainingResult",
    "model_train",
]

logger = logging.getLogger(__name__)

MIN_RECORDS_TO_TRAIN = 400
M_FLOOR = 0.002
U_FLOOR = 1e-6

# -- comparison levels: Python and SQL side by side ------------------------------------------


def _jw(a: Features, b: Features) -> float:
    return max(
        JaroWinkler.similarity(a.name_key, b.name_key),
        JaroWinkler.similarity(a.name_phonetic, b.name_phonetic),
    )


def _phonetic_set(f: Features) -> frozenset[str]:
    return frozenset(f.name_phonetic.split())


def name_level(a: Features, b: Features) -> str | None:
    if not a.name_key or not b.name_key:
        return None
    if a.name_exact == b.name_exact:
        return "exact"
    if a.name_key == b.name_key or not set(a.name_compact).isdisjoint(b.name_compact):
        return "variant"  # a spelling variant, or a space typed or left out
    # Two different names of the variant table (Touré / Traoré, Mamadou / Mohamed) are two
    # names, however close their letters: no phonetic or fuzzy level for them.
    diff_a = set(a.name_tokens) - set(b.name_tokens)
    diff_b = set(b.name_tokens) - set(a.name_tokens)
    clash = bool(diff_a and diff_b) and all(is_known(t) for t in diff_a | diff_b)
    if not clash and (a.name_phonetic == b.name_phonetic or a.name_bases == b.name_bases):
        return "phonetic"
    jw = 0.0 if clash else _jw(a, b)
    if jw >= 0.92:
        return "jaro_winkler_92"
    sa, sb = _phonetic_set(a), _phonetic_set(b)
    common = len(sa & sb)
    if common >= 2 and (sa <= sb or sb <= sa):
        return "name_added"
    if jw >= 0.80:
        return "jaro_winkler_80"
    initial = any(len(t) == 1 for t in a.name_tokens + b.name_tokens)  # "M. Traoré"
    if common >= 1 and initial and a.name_initials == b.name_initials:
        return "initials"
    if common >= 1:
        return "one_name"
    return "different"


_PH_L = "list_distinct(string_split(name_phonetic_l, ' '))"
_PH_R = "list_distinct(string_split(name_phonetic_r, ' '))"
_JW_SQL = (
    "greatest(jaro_winkler_similarity(name_key_l, name_key_r), "
    "jaro_winkler_similarity(name_phonetic_l, name_phonetic_r))"
)
NAME_SQL = [
    ("null", "name_key_l IS NULL OR name_key_r IS NULL"),
    ("exact", "name_exact_l = name_exact_r"),
    (
        "variant",
        "name_key_l = name_key_r OR len(list_intersect(name_compact_l, name_compact_r)) >= 1",
    ),
    ("phonetic", "name_phonetic_l = name_phonetic_r OR name_bases_l = name_bases_r"),
    ("jaro_winkler_92", f"{_JW_SQL} >= 0.92"),
    (
        "name_added",
        f"len(list_intersect({_PH_L}, {_PH_R})) >= 2 AND "
        f"(list_has_all({_PH_L}, {_PH_R}) OR list_has_all({_PH_R}, {_PH_L}))",
    ),
    ("jaro_winkler_80", f"{_JW_SQL} >= 0.80"),
    (
        "initials",
        f"len(list_intersect({_PH_L}, {_PH_R})) >= 1 AND name_initials_l = name_initials_r "
        "AND (regexp_matches(name_key_l, '(^| )[a-z]( |$)') "
        "OR regexp_matches(name_key_r, '(^| )[a-z]( |$)'))",
    ),
    ("one_name", f"len(list_intersect({_PH_L}, {_PH_R})) >= 1"),
    ("different", "ELSE"),
]


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def birth_level(a: Features, b: Features) -> str | None:
    ya, yb = a.birth_year, b.birth_year
    if ya is None or yb is None:
        return None
    da, db = a.birth_date, b.birth_date
    if da and db:
        if da == db:
            return "exact"
        # One digit mistyped, two digits swapped (1956 / 1965), or one day apart.
        if DamerauLevenshtein.distance(da.replace("-", ""), db.replace("-", "")) == 1 or (
            _days_apart(da, db) == 1
        ):
            return "one_digit_or_day"
        if ya == yb and da[5:7] == db[8:10] and da[8:10] == db[5:7]:
            return "day_month_swapped"
        if ya == yb:
            return "same_year"
    elif ya == yb:
        return "year_only"
    if abs(ya - yb) == 1:
        return "one_year_off"
    return "different"


_BOTH_DATES = "birth_date_l IS NOT NULL AND birth_date_r IS NOT NULL"
BIRTH_SQL = [
    ("null", "birth_year_l IS NULL OR birth_year_r IS NULL"),
    ("exact", "birth_date_l = birth_date_r"),
    (
        "one_digit_or_day",
        f"{_BOTH_DATES} AND (damerau_levenshtein(replace(birth_date_l, '-', ''), "
        "replace(birth_date_r, '-', '')) = 1 OR abs(date_diff('day', "
        "CAST(birth_date_l AS DATE), CAST(birth_date_r AS DATE))) = 1)",
    ),
    (
        "day_month_swapped",
        f"{_BOTH_DATES} AND birth_year_l = birth_year_r AND "
        "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) AND "
        "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)",
    ),
    ("same_year", f"{_BOTH_DATES} AND birth_year_l = birth_year_r"),
    ("year_only", "birth_year_l = birth_year_r"),
    ("one_year_off", "abs(birth_year_l - birth_year_r) = 1"),
    ("different", "ELSE"),
]


def sex_level(a: Features, b: Features) -> str | None:
    if not a.sex or not b.sex:
        return None
    return "equal" if a.sex == b.sex else "different"


def _simple_sql(column: str) -> list:
    return [
        ("null", f"{column}_l IS NULL OR {column}_r IS NULL"),
        ("equal", f"{column}_l = {column}_r"),
        ("different", "ELSE"),
    ]


def organisation_level(a: Features, b: Features) -> str | None:
    if not a.organisation or not b.organisation:
        return None
    return "equal" if a.organisation == b.organisation else "different"


def phone_level(a: Features, b: Features) -> str | None:
    if not a.phones or not b.phones:
        return None
    return "shared" if set(a.phones) & set(b.phones) else "different"


PHONE_SQL = [
    ("null", "phones_l IS NULL OR phones_r IS NULL"),
    ("shared", "len(list_intersect(phones_l, phones_r)) >= 1"),
    ("different", "ELSE"),
]


def _countries_agree(x: str, y: str) -> bool:
    """Two values of one identifier type that can be compared: same country prefix (none
    for most types), or a national ID whose country is unknown (``XX``) on one side."""
    cx, cy = x.rpartition(":")[0], y.rpartition(":")[0]
    return cx == cy or "XX" in (cx, cy)


def identifier_level(id_type: str):
    def level(a: Features, b: Features) -> str | None:
        va, vb = a.ids.get(id_type), b.ids.get(id_type)
        if not va or not vb:
            return None
        if set(va) & set(vb):
            return "exact"
        pairs = [
            (identifier_number(x), identifier_number(y))
            for x in va
            for y in vb
            if _countries_agree(x, y)
        ]
        if not pairs:  # national IDs of two different countries: nothing to compare
            return None
        if any(x == y for x, y in pairs):
            return "exact"
        loose = [(x.lstrip("0") or x, y.lstrip("0") or y) for x, y in pairs]
        if any(x == y for x, y in loose):
            return "leading_zeros"
        if any(DamerauLevenshtein.distance(x, y) <= 1 for x, y in loose):
            return "one_edit"
        return "different"

    return level


def identifier_sql(id_type: str) -> list:
    return [
        ("null", f"{id_type}_l IS NULL OR {id_type}_r IS NULL"),
        ("exact", f"{id_type}_l = {id_type}_r"),
        ("leading_zeros", f"{id_type}_loose_l = {id_type}_loose_r"),
        ("one_edit", f"damerau_levenshtein({id_type}_loose_l, {id_type}_loose_r) <= 1"),
        ("different", "ELSE"),
    ]


def residence_level(a: Features, b: Features) -> str | None:
    """Where a person lives (village, commune, or an address): the same text, a close
    spelling, half the words of the shorter one in common, or different."""
    if not a.residence or not b.residence:
        return None
    if a.residence == b.residence:
        return "exact"
    if JaroWinkler.similarity(a.residence, b.residence) >= 0.92:
        return "close"
    ta, tb = a.residence_tokens, b.residence_tokens
    common = len(ta & tb)
    if common >= 1 and 2 * common >= min(len(ta), len(tb)):
        return "shared_words"
    return "different"


_RES_COMMON = "len(list_intersect(residence_tokens_l, residence_tokens_r))"
RESIDENCE_SQL = [
    ("null", "residence_l IS NULL OR residence_r IS NULL"),
    ("exact", "residence_l = residence_r"),
    ("close", "jaro_winkler_similarity(residence_l, residence_r) >= 0.92"),
    (
        "shared_words",
        f"{_RES_COMMON} >= 1 AND 2 * {_RES_COMMON} >= "
        "least(len(residence_tokens_l), len(residence_tokens_r))",
    ),
    ("different", "ELSE"),
]


@dataclass(frozen=True)
class Comparison:
    name: str
    level: object  # (Features, Features) -> label | None
    sql: list  # [(label, condition)], the null level first, "ELSE" last


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("name", name_level, NAME_SQL),
    Comparison("birth", birth_level, BIRTH_SQL),
    Comparison("sex", sex_level, _simple_sql("sex")),
    *(Comparison(t, identifier_level(t), identifier_sql(t)) for t in ID_TYPES),
    Comparison("phone", phone_level, PHONE_SQL),
    Comparison("organisation", organisation_level, _simple_sql("organisation")),
    Comparison("residence", residence_level, RESIDENCE_SQL),
)
_BY_NAME = {c.name: c for c in COMPARISONS}
_ID_NAMES = frozenset(ID_TYPES)

#: Levels that say the names do not agree: such a pair never links on the names' account.
WEAK_NAME_LEVELS = frozenset({"initials", "one_name", "different"})
#: Birth levels that are a true conflict (not a typing error): never linked automatically.
BIRTH_CONFLICT_LEVELS = frozenset({"same_year", "different"})
#: Identifier levels that count as the same number (typing errors included).
ID_SAME_LEVELS = frozenset({"exact", "leading_zeros", "one_edit"})


# -- priors ------------------------------------------------------------------------------------

# Starting values (m, u) for an untrained registry. m: share of one person's record pairs in the
# level, read off re-typed Malian rosters (about 1 in 4 rows drops or swaps part of a name, 1 in
# 3 loses the full birth date); u: share of different people's pairs, from name frequencies
# (a few hundred given/family names), 40 birth years and 365 days. Every level of a comparison
# sums to 1 over m and over u.
PRIORS: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.55, 0.0008),
        "variant": (0.15, 0.0004),
        "phonetic": (0.08, 0.0004),
        "jaro_winkler_92": (0.05, 0.002),
        "name_added": (0.08, 0.001),
        "jaro_winkler_80": (0.03, 0.02),
        "initials": (0.02, 0.003),
        "one_name": (0.03, 0.12),
        "different": (0.01, 0.8524),
    },
    "birth": {
        "exact": (0.62, 0.00007),
        "one_digit_or_day": (0.04, 0.0008),
        "day_month_swapped": (0.02, 0.00005),
        "same_year": (0.02, 0.025),
        "year_only": (0.26, 0.025),
        "one_year_off": (0.03, 0.05),
        "different": (0.01, 0.89908),
    },
    "sex": {"equal": (0.98, 0.55), "different": (0.02, 0.45)},
    **{
        t: {
            "exact": (0.93, 0.00001),
            "leading_zeros": (0.02, 0.00001),
            "one_edit": (0.03, 0.001),
            "different": (0.02, 0.99898),
        }
        for t in VETO_TYPES
    },
    # Typed from cards of many countries: more often mistyped or replaced.
    "national_id": {
        "exact": (0.85, 0.00001),
        "leading_zeros": (0.02, 0.00001),
        "one_edit": (0.05, 0.001),
        "different": (0.08, 0.99898),
    },
    "phone": {"shared": (0.85, 0.0005), "different": (0.15, 0.9995)},
    "organisation": {"equal": (0.85, 0.3), "different": (0.15, 0.7)},
    # Most trainees of one office live in a few towns ("Gao" against "Gao" says little);
    # people move, and addresses are retyped.
    "residence": {
        "exact": (0.60, 0.08),
        "close": (0.10, 0.01),
        "shared_words": (0.15, 0.10),
        "different": (0.15, 0.81),
    },
}
#: Share of records that are someone already there (a returning trainee).
PRIOR_RETURNING = 0.5
#: How many records the priors' u of sex and organisation weigh against the registry's own
#: shares (:meth:`LinkageModel.with_value_shares`).
VALUE_SHARE_WEIGHT = 200
#: A registry of a handful of people is a sample of the people who could come: the prior
#: never assumes fewer than this many (otherwise two namesakes in a new registry would link).
PRIOR_POPULATION_MIN = 1000


@dataclass
class PairEvidence:
    """A scored pair: probability, every comparison's level and weight (bits), flags."""

    probability: float
    log2_odds: float
    prior: float
    levels: dict[str, str | None]
    weights: dict[str, float]

    @property
    def strong_conflict(self) -> list[str]:
        """Strong identifier types with two different values (typos tolerated); a national ID
        of another country is evidence, not a constraint."""
        return [t for t in VETO_TYPES if self.levels.get(t) == "different"]

    @property
    def strong_shared(self) -> list[str]:
        return [t for t in ID_TYPES if self.levels.get(t) == "exact"]

    @property
    def birth_conflict(self) -> bool:
        return self.levels.get("birth") in BIRTH_CONFLICT_LEVELS

    @property
    def names_weak(self) -> bool:
        return self.levels.get("name") in WEAK_NAME_LEVELS or self.levels.get("name") is None

    def to_dict(self) -> dict:
        return {
            "prior": round(self.prior, 2),
            "weights": {
                k: {"level": self.levels[k], "weight": round(w, 2)} for k, w in self.weights.items()
            },
        }


@dataclass
class LinkageModel:
    """Parameters (m, u per level, the returning share) and the scorer that reads them."""

    parameters: dict[str, dict[str, tuple[float, float]]] = field(
        default_factory=lambda: {k: dict(v) for k, v in PRIORS.items()}
    )
    returning: float = PRIOR_RETURNING
    version: str = ""
    trained_on: int = 0
    _weights: dict = field(default_factory=dict, repr=False)
    _bests: dict = field(default_factory=dict, repr=False)
    _priors: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._weights = {
            name: {label: log2(max(m, M_FLOOR) / max(u, U_FLOOR)) for label, (m, u) in lv.items()}
            for name, lv in self.parameters.items()
        }
        self._bests = {name: max(0.0, *lv.values()) for name, lv in self._weights.items()}
        if not self.version:
            self.version = "priors-" + self.fingerprint()[:10]

    # -- persistence ---------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "parameters": {
                n: {lb: list(mu) for lb, mu in lv.items()} for n, lv in self.parameters.items()
            },
            "returning": self.returning,
            "trained_on": self.trained_on,
        }

    def fingerprint(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_json(cls, data: dict, *, version: str = "") -> LinkageModel:
        params = {k: dict(v) for k, v in PRIORS.items()}
        for name, levels in (data.get("parameters") or {}).items():
            if name in params:
                for label, mu in levels.items():
                    if label in params[name]:
                        params[name][label] = (float(mu[0]), float(mu[1]))
        return cls(
            parameters=params,
            returning=float(data.get("returning", PRIOR_RETURNING)),
            version=version,
            trained_on=int(data.get("trained_on", 0)),
        )

    def with_value_shares(self, shares: dict[str, tuple[float, int]]) -> LinkageModel:
        """This model with u of the two-level comparisons (sex, organisation) read off the
        registry: ``shares[name] = (sum of squared value shares, records counted)``, the chance
        that two records picked at random hold the same value (what random sampling would
        estimate, computed exactly). Blended with the model's own u by how many records
        were counted (:data:`VALUE_SHARE_WEIGHT`), rounded to two decimals so the version
        moves only when the registry really changes. Used for the priors of an untrained
        registry: an army's registry is mostly men of one organisation, a community's half
        women of a dozen villages, and one fixed u cannot say both."""
        params = {k: dict(v) for k, v in self.parameters.items()}
        for name, (same, records) in shares.items():
            levels = params.get(name)
            if not levels or set(levels) != {"equal", "different"} or records <= 0:
                continue
            m_equal, u_prior = levels["equal"]
            trust = records / (records + VALUE_SHARE_WEIGHT)
            u = round(trust * min(max(same, 0.0), 1.0) + (1 - trust) * u_prior, 2)
            u = min(max(u, 0.01), 0.99)
            levels["equal"] = (m_equal, u)
            levels["different"] = (levels["different"][0], round(1.0 - u, 2))
        if params == self.parameters:
            return self
        return LinkageModel(parameters=params, returning=self.returning, trained_on=self.trained_on)

    # -- scoring -------------------------------------------------------------------------
    def weight(self, comparison: str, label: str) -> float:
        return self._weights[comparison][label]

    def prior(
        self, population: int, returning: float | None = None, *, minimum: int | None = None
    ) -> float:
        """Prior log2 odds that a record is one given person among ``population`` (never
        fewer than ``minimum``, :data:`PRIOR_POPULATION_MIN` by default)."""
        rho = self.returning if returning is None else returning
        key = (population, rho, minimum)
        hit = self._priors.get(key)
        if hit is None:
            rho = min(max(rho, 1e-4), 0.999)
            floor = PRIOR_POPULATION_MIN if minimum is None else minimum
            hit = log2(rho / (1.0 - rho)) - log2(max(population, floor) + 1)
            if len(self._priors) > 10_000:
                self._priors.clear()
            self._priors[key] = hit
        return hit

    def score(
        self,
        a: Features,
        b: Features,
        *,
        population: int,
        name_count: float = 1,
        prior_population: int | None = None,
        returning: float | None = None,
        floor_log2: float | None = None,
    ) -> PairEvidence | None:
        """Score one pair. ``population`` is how many people the registry holds and
        ``name_count`` how many of them carry the agreeing name (its term frequency, smoothed
        for the rare names: it may be below 1);
        ``prior_population`` how many people the record could be (default: the registry).
        With ``floor_log2``, returns ``None`` as soon as the names' weight shows the pair
        cannot reach it whatever the other comparisons say (the scans' fast path)."""
        population = max(population, 1)
        if prior_population:  # rows of one file: the file is the whole population
            prior = self.prior(prior_population, returning, minimum=1)
        else:
            prior = self.prior(population, returning)
        levels: dict[str, str | None] = {}
        weights: dict[str, float] = {}
        label = _name_level_cached(a, b)
        levels["name"] = label
        total = prior
        if label is not None:
            w = self._weights["name"][label]
            if label in ("exact", "variant"):
                m, u = self.parameters["name"][label]
                tf = (name_count if name_count > 0 else 1) / max(population, PRIOR_POPULATION_MIN)
                w = log2(max(m, M_FLOOR) / max(tf, u * 0.25, U_FLOOR))
            weights["name"] = w
            total += w
        ids_a, ids_b = a.ids, b.ids
        if (
            floor_log2 is not None
            and total + self._rest_bound(a, b) < floor_log2
            # A shared identifier is always seen, however improbable the pair: a person
            # must see a number held by someone whose names disagree.
            and not any(set(ids_a[t]) & set(ids_b[t]) for t in ids_a.keys() & ids_b.keys())
        ):
            return None
        for comp in COMPARISONS[1:]:
            name = comp.name
            if name in _ID_NAMES and (name not in ids_a or name not in ids_b):
                levels[name] = None  # an identifier one side lacks: its null level
                continue
            label = comp.level(a, b)
            levels[comp.name] = label
            if label is None:
                continue
            w = self._weights[comp.name][label]
            weights[comp.name] = w
            total += w
        total = max(min(total, 60.0), -60.0)
        probability = 1.0 / (1.0 + 2.0 ** (-total))
        return PairEvidence(probability, total, prior, levels, weights)

    def _rest_bound(self, a: Features, b: Features) -> float:
        """The most the comparisons other than names can add for this pair. Birth, sex
        and organisation, cheap to compare, count for what they are (namesakes born years
        apart or in another organisation are most of a scan's pairs); the others for their
        best level."""
        bound = self._bests
        weights = self._weights
        total = 0.0
        if a.birth_year is not None and b.birth_year is not None:
            label = birth_level(a, b)
            if label is not None:
                total += weights["birth"][label]
        if a.sex and b.sex:
            total += weights["sex"]["equal" if a.sex == b.sex else "different"]
        if a.organisation and b.organisation:
            same = a.organisation == b.organisation
            total += weights["organisation"]["equal" if same else "different"]
        if a.phones and b.phones:
            total += bound["phone"]
        if a.residence and b.residence:
            total += bound["residence"]
        for id_type in a.ids.keys() & b.ids.keys():
            total += bound[id_type]
        return total


_NAME_LEVELS: dict[tuple, str | None] = {}


def _name_level_cached(a: Features, b: Features) -> str | None:
    """:func:`name_level` remembered by the two names (common names meet again and again)."""
    key = (a.name_exact, a.name_key, a.name_compact, b.name_exact, b.name_key, b.name_compact)
    hit = _NAME_LEVELS.get(key, _MISSING)
    if hit is _MISSING:
        if len(_NAME_LEVELS) > 500_000:
            _NAME_LEVELS.clear()
        hit = _NAME_LEVELS[key] = name_level(a, b)
    return hit


_MISSING = object()


# -- training ----------------------------------------------------------------------------------


@dataclass
class TrainingResult:
    model: LinkageModel | None
    trained: bool
    message: str
    records: int


def _settings(tf: bool) -> dict:
    comparisons = []
    for comp in COMPARISONS:
        levels = []
        for label, condition in comp.sql:
            level = {"sql_condition": condition, "label_for_charts": label}
            if label == "null":
                level["is_null_level"] = True
            if tf and comp.name == "name" and label in ("exact", "variant"):
                level["tf_adjustment_column"] = "name_key" if label == "variant" else "name_exact"
                level["tf_adjustment_weight"] = 1.0
            levels.append(level)
        comparisons.append(
            {
                "output_column_name": comp.name,
                "comparison_levels": levels,
                "comparison_description": comp.name,
            }
        )
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }


def _blend(trained: dict, records: int) -> dict:
    """Clamp m above its floor, blend with the priors (the smaller the registry, the more),
    renormalise. u is kept as sampled, floored."""
    trust = min(1.0, records / (10 * MIN_RECORDS_TO_TRAIN))
    out = {}
    for name, prior_levels in PRIORS.items():
        got = trained.get(name, {})
        ms, us = {}, {}
        for label, (pm, pu) in prior_levels.items():
            m, u = got.get(label, (None, None))
            m = pm if m is None else max(float(m), M_FLOOR)
            u = pu if u is None else max(float(u), U_FLOOR)
            ms[label] = trust * m + (1 - trust) * pm
            us[label] = u
        sm, su = sum(ms.values()), sum(us.values())
        out[name] = {label: (ms[label] / sm, us[label] / su) for label in prior_levels}
    return out


def model_train(
    rows: list[dict], *, previous: LinkageModel | None = None, seed: int = 2026
) -> TrainingResult:
    """Learn the model's parameters from ``rows`` (:meth:`Features.row` dicts, one per record:
    one per registry person, plus the rows imports recorded, which hold the repeated records
    EM learns m from).

    Fewer than :data:`MIN_RECORDS_TO_TRAIN` rows: nothing is learned, the previous model (or
    the priors) stays, and the message says so.
    """
    base = previous or LinkageModel()
    if len(rows) < MIN_RECORDS_TO_TRAIN:
        return TrainingResult(
            None,
            False,
            f"{len(rows)} records: at least {MIN_RECORDS_TO_TRAIN} are needed to learn; "
            f"the current model ({base.version}) stays.",
            len(rows),
        )
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    table = [{**row, "unique_id": i} for i, row in enumerate(rows)]
    sdf = db_api.register(table, table_name="registry_records")
    linker = Linker(sdf, _settings(tf=False))
    n = len(rows)
    linker.training.estimate_probability_two_random_records_match(
        [
            "l.name_key = r.name_key AND l.birth_date = r.birth_date",
            *(f"l.{t} = r.{t}" for t in ID_TYPES),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=min(4e6, n * 40.0), seed=seed)
    for rule in (
        block_on("birth_date"),
        block_on("name_key"),
        block_on("name_phonetic", "birth_year"),
        *(block_on(t) for t in ID_TYPES),
    ):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception as exc:  # a block with no pairs: EM has nothing to learn from it
            logger.info("EM session %s skipped: %s", rule, exc)
    saved = linker.misc.save_model_to_json()
    lam = float(saved.get("probability_two_random_records_match") or 0.0)
    trained: dict = {}
    for comp in saved["comparisons"]:
        levels = {}
        for level in comp["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            label = level.get("label_for_charts")
            levels[label] = (level.get("m_probability"), level.get("u_probability"))
        trained[comp["output_column_name"]] = levels
    con.close()
    returning = min(0.9, max(0.05, lam * (n - 1)))
    model = LinkageModel(parameters=_blend(trained, n), returning=returning, trained_on=n)
    model.version = "m-" + model.fingerprint()[:12]
    return TrainingResult(model, True, f"Trained on {n} records.", n)
