"""Synthetic Malian rosters with known truth, for matching tests and benchmarks.

Deterministic for a given seed. Every person has a ``truth`` id; every roster row carries the
``truth`` of the person it records, so any matcher can be scored. Rows are plain dicts (no
Django), ready to be turned into ``PersonRecord`` (see :func:`as_record`) or model rows.

The population is shaped after what makes matching hard in Mali:

* names follow a steep frequency curve (a few given and family names cover most people), and
  ``namesake_rate`` of people deliberately copy the names of an earlier person with another
  birth date: many different people called Moussa Traoré or Fatoumata Coulibaly;
* birth dates are full for most, a year only ("né vers") for some, and clerks type 1 January
  for those;
* identifiers depend on the organisation: service numbers for MDSF, UN index numbers for
  contingents, NINA for most Malians, passports for some NGO staff, phones for most, and a few
  relatives share a phone.

Roster rows then vary as real rosters do: accents dropped, upper case, given/family swapped,
the whole name in one column (French administrative order, family name first), a second given
name left out, spelling variants from the variant table, an occasional typo (a dropped or
doubled letter), a missing or year-only birth date, day and month swapped, a missing sex, a
rare wrong sex, identifiers on some rows only and phones formatted every which way.

With ``causes`` (0 by default, so earlier callers get the very same rows), rows also show
every cause of a missed duplicate found on real rosters (issue 11):

* identical rows without a birth date inside one file ("Diarra; Salif; H" twice);
* a service number with a one-digit typo, two swapped digits or its leading zero dropped
  (48885 / 48858, 80226 / 080226);
* a birth date one day off, day and month swapped, or the placeholder 31/12/YYYY or
  01/01/YYYY on one row against the year only on another;
* given and family names swapped together with a spelling variant (ABDOULAY AG ALHASSAN /
  AG ALHASSANE Abdoulaye), phones written with +223, 00223 or nothing;
* particles (Ag, Ould, Mint, Walet) moving between the given-name and family-name cells;
* a second given name dropped, a keyboard typo (KULIBQLI: the AZERTY/QWERTY confusion);
* a married woman recorded as "Mme" + her husband's family name, her own family name among
  her given names.

:func:`generate_activities` builds whole data sets of that kind (1,500 or 5,000 people
over about 2.3 rows each, rosters of about 23 rows) with the truth on every row.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from anyascii import anyascii

__all__ = [
    "FAMILY_NAMES",
    "FEMALE_NAMES",
    "MALE_NAMES",
    "MISS_CAUSES",
    "ORGANISATIONS",
    "as_record",
    "generate_activities",
    "generate_people",
    "generate_rosters",
    "record_row",
    "registry_rows",
]

# (display spelling, weight). Weights are rough relative frequencies on Malian rosters.
MALE_NAMES: list[tuple[str, int]] = [
    ("Mamadou", 60),
    ("Moussa", 55),
    ("Mohamed", 55),
    ("Oumar", 35),
    ("Boubacar", 35),
    ("Amadou", 35),
    ("Ibrahim", 30),
    ("Seydou", 25),
    ("Abdoulaye", 30),
    ("Souleymane", 25),
    ("Adama", 25),
    ("Bakary", 20),
    ("Modibo", 15),
    ("Sidiki", 10),
    ("Drissa", 15),
    ("Lassana", 10),
    ("Yacouba", 15),
    ("Issa", 15),
    ("Hamidou", 10),
    ("Cheick", 15),
    ("Siaka", 10),
    ("Daouda", 12),
    ("Aliou", 12),
    ("Ousmane", 20),
    ("Sékou", 15),
    ("Youssouf", 15),
    ("Tiémoko", 6),
    ("Salif", 10),
    ("Alassane", 8),
    ("Moctar", 8),
    ("Harouna", 8),
    ("Kalifa", 8),
    ("Mahamane", 6),
    ("Oumarou", 5),
    ("Ahmed", 6),
    ("Ali", 8),
    ("Hassane", 6),
    ("Intalla", 3),
    ("Attaher", 3),
    ("Alghabass", 2),
    ("Sidi", 6),
    ("Hamza", 4),
    ("Lassina", 6),
    ("Karim", 4),
    ("Fousseyni", 6),
    ("Mahamadou", 10),
    # not in the variant table on purpose: unknown names must work too
    ("Zoumana", 5),
    ("Nouhoum", 5),
    ("Ichaka", 4),
    ("Sambou", 3),
]
FEMALE_NAMES: list[tuple[str, int]] = [
    ("Fatoumata", 60),
    ("Aminata", 45),
    ("Mariam", 40),
    ("Aïssata", 30),
    ("Kadiatou", 30),
    ("Oumou", 25),
    ("Awa", 25),
    ("Fanta", 20),
    ("Hawa", 20),
    ("Rokia", 15),
    ("Djénéba", 15),
    ("Assitan", 12),
    ("Salimata", 12),
    ("Kadidia", 12),
    ("Safiatou", 10),
    ("Maïmouna", 10),
    ("Bintou", 10),
    ("Ramata", 8),
    ("Korotoumou", 6),
    ("Nana", 8),
    ("Aïcha", 8),
    ("Fatima", 6),
    ("Zeinab", 5),
    ("Tenin", 5),
    ("Sali", 5),
    ("Mah", 5),
    ("Hadizatou", 3),
    ("Kankou", 4),
    ("Coumba", 4),
]
FAMILY_NAMES: list[tuple[str, int]] = [
    ("Traoré", 80),
    ("Coulibaly", 75),
    ("Diarra", 50),
    ("Keïta", 40),
    ("Touré", 40),
    ("Maïga", 40),
    ("Diallo", 40),
    ("Cissé", 30),
    ("Koné", 30),
    ("Sangaré", 25),
    ("Dembélé", 25),
    ("Konaté", 20),
    ("Camara", 20),
    ("Sissoko", 18),
    ("Doumbia", 18),
    ("Kanté", 15),
    ("Sidibé", 15),
    ("Dicko", 12),
    ("Haïdara", 12),
    ("Samaké", 12),
    ("Bagayoko", 10),
    ("Diakité", 12),
    ("Kouyaté", 8),
    ("Sanogo", 10),
    ("Berthé", 8),
    ("Ba", 8),
    ("Tembely", 5),
    ("Sacko", 6),
    ("Fofana", 6),
    ("Guindo", 8),
    ("Sylla", 5),
    ("Doucouré", 5),
    ("Kanouté", 4),
    ("Ouattara", 6),
    ("Dao", 5),
    ("Dolo", 5),
    ("Togo", 4),
    ("Tangara", 5),
    ("Mariko", 5),
    ("Ag Attaher", 4),
    ("Ag Intalla", 3),
    ("Ag Mohamed", 4),
    ("Ould Sidi", 2),
    ("Cissoko", 2),
    ("Niang", 3),
    ("Thiam", 3),
    ("Kassogué", 3),
    ("Poudiougo", 2),
    ("Yattara", 3),
    ("Djiré", 3),
    ("Magassa", 3),
    ("Goïta", 3),
    ("Kampo", 2),
]

# (organisation, category, weight)
ORGANISATIONS: list[tuple[str, str, int]] = [
    ("Forces Armées Maliennes", "mdsf", 30),
    ("Gendarmerie nationale", "mdsf", 12),
    ("Garde nationale", "mdsf", 10),
    ("Police nationale", "mdsf", 10),
    ("Protection civile", "mdsf", 6),
    ("Contingent du Tchad", "contingent", 5),
    ("Contingent du Niger", "contingent", 4),
    ("Contingent du Burkina Faso", "contingent", 4),
    ("Contingent du Sénégal", "contingent", 4),
    ("Contingent du Togo", "contingent", 3),
    ("Humanity & Inclusion", "ngo", 3),
    ("Danish Refugee Council", "ngo", 3),
    ("Mines Advisory Group", "ngo", 2),
    ("Croix-Rouge malienne", "ngo", 3),
    ("AMSS", "ngo", 2),
    ("Chauffeurs UNMAS", "drivers", 2),
    ("Communauté de Gao", "community", 3),
    ("Communauté de Mopti", "community", 3),
]

_FEMALE_SHARE = {"mdsf": 0.12, "contingent": 0.12, "ngo": 0.40, "drivers": 0.02, "community": 0.5}


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def _variants_table() -> dict[str, tuple[str, ...]]:
    # Imported lazily so that generating people does not need the engine.
    from trainees.matching.normalise import normalise_text
    from trainees.matching.variants import VARIANT_GROUPS

    table: dict[str, tuple[str, ...]] = {}
    for key, others in VARIANT_GROUPS.items():
        spellings = tuple(dict.fromkeys((key, *others)))
        for s in spellings:
            table[normalise_text(s)] = spellings
    return table


def generate_people(
    n: int, seed: int = 0, *, namesake_rate: float = 0.15, shared_phone_rate: float = 0.04
) -> list[dict]:
    """Return ``n`` people with known truth ids ``T000001``... as plain dicts.

    Keys: ``truth``, ``given_names``, ``family_name``, ``sex``, ``birth_date`` (``date`` or
    ``None``), ``birth_year``, ``organisation``, ``category``, ``identifiers`` (``type ->
    value``, canonical values as a registry would store them).
    """
    rng = random.Random(seed)
    people: list[dict] = []
    orgs = [(o, c) for o, c, _w in ORGANISATIONS]
    org_weights = [w for _o, _c, w in ORGANISATIONS]
    for i in range(n):
        organisation, category = rng.choices(orgs, weights=org_weights)[0]
        sex = "F" if rng.random() < _FEMALE_SHARE[category] else "M"
        pool = FEMALE_NAMES if sex == "F" else MALE_NAMES
        namesake = None
        if people and rng.random() < namesake_rate:
            same_sex = [p for p in people[-500:] if p["sex"] == sex]
            namesake = rng.choice(same_sex) if same_sex else None
        if namesake is not None:
            given, family = namesake["given_names"], namesake["family_name"]
        else:
            given = _weighted(rng, pool)
            if rng.random() < 0.2:
                second = _weighted(rng, pool)
                if second != given:
                    given = f"{given} {second}"
            family = _weighted(rng, FAMILY_NAMES)
            if family.startswith("Ag ") and sex == "F":
                family = "Walet " + family[3:]
        low, high = (1965, 2004) if category != "community" else (1950, 2008)
        year = rng.randint(low, high)
        if rng.random() < 0.15:
            birth_date = None  # only "born about" a year
        else:
            birth_date = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            if (birth_date.month, birth_date.day) in ((1, 1), (12, 31)):
                birth_date += timedelta(days=3)
        identifiers = _identifiers(rng, i, sex, year, category, people, family, shared_phone_rate)
        people.append(
            {
                "truth": f"T{i + 1:06d}",
                "given_names": given,
                "family_name": family,
                "sex": sex,
                "birth_date": birth_date,
                "birth_year": year,
                "organisation": organisation,
                "category": category,
                "identifiers": identifiers,
            }
        )
    return people


def _identifiers(rng, i, sex, year, category, people, family, shared_phone_rate) -> dict:
    ids: dict[str, str] = {}
    if category == "mdsf" and rng.random() < 0.85:
        ids["service_number"] = f"M{i + 100000:07d}"
    if category == "contingent":
        if rng.random() < 0.8:
            ids["un_index"] = f"{i + 3000000:08d}"
        if rng.random() < 0.3:
            ids["passport"] = f"P{i + 1000000:08d}"
    elif rng.random() < 0.6:
        sex_digit = "2" if sex == "F" else "1"
        letter = "ABCDEFGHJKLMNPQRSTUVWXYZ"[i % 24]
        ids["nina"] = f"1{sex_digit}{year % 100:02d}{i:07d}{rng.randrange(1000):03d}{letter}"
    if category == "ngo" and rng.random() < 0.3:
        ids["passport"] = f"AA{i + 1000000:07d}"
    if rng.random() < shared_phone_rate and people:
        relatives = [
            p for p in people[-300:] if p["family_name"] == family and "phone" in p["identifiers"]
        ]
        if relatives:
            ids["phone"] = rng.choice(relatives)["identifiers"]["phone"]
            return ids
    if rng.random() < 0.8:
        ids["phone"] = f"+223{rng.choice('679')}{i % 10}{rng.randrange(1000000):06d}"
    return ids


# -- recording a person ----------------------------------------------------------------------


def _typo(rng: random.Random, word: str) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 4:
        return word
    k = rng.choice(letters[1:])
    if rng.random() < 0.5:
        return word[:k] + word[k + 1 :]
    return word[:k] + word[k] + word[k:]


def _spell(rng: random.Random, name: str, table: dict, noise: float) -> str:
    words = []
    for word in name.split():
        key = anyascii(word).lower()
        if key in table and rng.random() < 0.15 * noise:
            word = rng.choice(table[key]).capitalize()
        words.append(word)
    return " ".join(words)


def _style(rng: random.Random, text: str, noise: float) -> str:
    if rng.random() < 0.4 * noise:
        text = anyascii(text)
    roll = rng.random()
    if roll < 0.3 * noise:
        text = text.upper()
    elif roll < 0.35 * noise:
        text = text.lower()
    if rng.random() < 0.05 * noise:
        text = text.replace(" ", "-") if " " in text else f" {text}  "
    return text


def _phone(rng: random.Random, e164: str) -> str:
    national = e164[4:]
    pairs = " ".join(national[i : i + 2] for i in range(0, 8, 2))
    return rng.choice(
        [national, pairs, f"+223 {pairs}", f"00223{national}", pairs.replace(" ", "."), e164]
    )


_KEEP_IDENTIFIER = {
    "service_number": 0.5,
    "nina": 0.25,
    "un_index": 0.6,
    "passport": 0.3,
    "phone": 0.5,
}


def record_row(
    person: dict,
    rng: random.Random,
    *,
    noise: float = 1.0,
    table=None,
    identifier_rate: float | None = None,
    causes: float = 0.0,
) -> dict:
    """One recording of ``person`` as a roster row (a plain dict with its ``truth``).

    ``noise`` scales every variation (0 gives a clean copy; 1 is a typical roster). Each of
    the person's identifiers is written with a per-type probability (a service number on half
    the rows, a NINA on a quarter...), or with ``identifier_rate`` when given. ``causes``
    scales the variations that made real duplicates go unseen (module docstring); the row
    then lists those it shows in ``row["causes"]``.
    """
    table = table if table is not None else _variants_table()
    given_words = person["given_names"].split()
    if len(given_words) > 1 and rng.random() < 0.3 * noise:
        given_words = given_words[:1] if rng.random() < 0.7 else given_words[1:]
    given = _spell(rng, " ".join(given_words), table, noise)
    family = _spell(rng, person["family_name"], table, noise)
    if rng.random() < 0.03 * noise:
        if rng.random() < 0.5:
            given = _typo(rng, given)
        else:
            family = _typo(rng, family)
    given, family = _style(rng, given, noise), _style(rng, family, noise)
    row: dict = {"truth": person["truth"], "full_name": None}
    layout = rng.random()
    if layout < 0.08 * noise:
        row["given_names"], row["family_name"] = family, given
    elif layout < 0.13 * noise:
        row["given_names"], row["family_name"] = None, None
        row["full_name"] = f"{family.upper()} {given}"
    else:
        row["given_names"], row["family_name"] = given, family

    birth_date, year = person["birth_date"], person["birth_year"]
    roll = rng.random()
    row["birth_date"], row["birth_year"] = None, None
    if birth_date is None:
        if roll < 0.5:
            row["birth_year"] = year
        elif roll < 0.8:
            row["birth_date"] = date(year, 1, 1)
    elif roll < 0.15 * noise:
        pass
    elif roll < 0.30 * noise:
        row["birth_year"] = year
    elif roll < 0.32 * noise and birth_date.day <= 12 and birth_date.day != birth_date.month:
        row["birth_date"] = date(year, birth_date.day, birth_date.month)
    else:
        row["birth_date"] = birth_date

    sex = person["sex"]
    roll = rng.random()
    if roll < 0.05 * noise:
        sex = None
    elif roll < 0.052 * noise:
        sex = "M" if sex == "F" else "F"
    row["sex"] = sex

    roll = rng.random()
    if roll < 0.05 * noise:
        row["organisation"] = None
    elif roll < 0.15 * noise:
        row["organisation"] = rng.choice(ORGANISATIONS)[0]
    else:
        row["organisation"] = person["organisation"]

    identifiers = {}
    for id_type, value in person["identifiers"].items():
        rate = _KEEP_IDENTIFIER[id_type] if identifier_rate is None else identifier_rate
        if noise == 0 or rng.random() < rate:
            identifiers[id_type] = _phone(rng, value) if id_type == "phone" else value
    row["identifiers"] = identifiers
    if causes:
        _miss_causes(row, person, rng, causes, table)
    return row


#: What :func:`record_row` with ``causes`` can do to a row (``row["causes"]``).
MISS_CAUSES = (
    "identical_without_birth_date",
    "service_number_typo",
    "service_number_transposed",
    "service_number_leading_zero",
    "birth_date_one_day",
    "birth_date_day_month",
    "birth_date_placeholder",
    "swapped_with_variant",
    "phone_country_code",
    "particle_moved",
    "second_given_name_dropped",
    "keyboard_typo",
    "married_name",
)

PARTICLES = ("Ag", "Ould", "Mint", "Walet")

#: Keys typed for one another: AZERTY/QWERTY confusions first (a/q, z/w), then neighbours.
_KEYBOARD = {
    "a": "q", "q": "a", "z": "w", "w": "z", "e": "r", "i": "o", "o": "i", "u": "y",
    "y": "u", "n": "b", "m": "n", "s": "d", "d": "s", "l": "k", "k": "l", "t": "r",
}  # fmt: skip


def _keyboard_typo(rng: random.Random, word: str) -> str:
    spots = [i for i, c in enumerate(word) if i and c.lower() in _KEYBOARD]
    if not spots:
        return word
    # AZERTY/QWERTY confusions are the common ones: prefer them.
    confusions = [i for i in spots if word[i].lower() in "aqzw"]
    k = rng.choice(confusions or spots)
    other = _KEYBOARD[word[k].lower()]
    return word[:k] + (other.upper() if word[k].isupper() else other) + word[k + 1 :]


def _variant(rng: random.Random, word: str, table: dict) -> str:
    """A spelling variant of one word: from the variant table, else a final e added or
    dropped (ALHASSAN / ALHASSANE, ABDOULAY / ABDOULAYE)."""
    key = anyascii(word).lower()
    others = [v for v in table.get(key, ()) if anyascii(v).lower() != key]
    if others:
        variant = rng.choice(others)
        return variant.upper() if word.isupper() else variant.capitalize()
    if word[-1:].lower() == "e" and len(word) > 3:
        return word[:-1]
    return word + ("E" if word.isupper() else "e")


def _service_number_variant(rng: random.Random, value: str) -> tuple[str, str]:
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if value[:1] == "0" and rng.random() < 0.5:
        return value[1:], "service_number_leading_zero"
    if len(digits) >= 2 and rng.random() < 0.5:
        k = rng.randrange(len(digits) - 1)
        i, j = digits[k], digits[k + 1]
        if value[i] != value[j]:
            chars = list(value)
            chars[i], chars[j] = chars[j], chars[i]
            return "".join(chars), "service_number_transposed"
    i = rng.choice(digits[1:] or digits)
    new = str((int(value[i]) + rng.randint(1, 9)) % 10)
    return value[:i] + new + value[i + 1 :], "service_number_typo"


def _miss_causes(row: dict, person: dict, rng: random.Random, causes: float, table) -> None:
    """The variations behind missed duplicates (module docstring), each at a rate scaled by
    ``causes``; the row lists those it shows in ``row["causes"]``."""
    shown: list[str] = []
    named = row["full_name"] is None
    if named and len(person["given_names"].split()) > len(row["given_names"].split()):
        shown.append("second_given_name_dropped")
    married = person.get("married_family")
    if named and married and rng.random() < 0.5 * causes:
        own = person["family_name"]
        given = row["given_names"] or person["given_names"].split()[0]
        row["given_names"] = f"{given} {own.upper() if rng.random() < 0.5 else own}"
        row["family_name"] = f"Mme {married.upper() if rng.random() < 0.5 else married}"
        shown.append("married_name")
    elif named and row["family_name"]:
        words = row["family_name"].split()
        if len(words) > 1 and words[0].capitalize() in PARTICLES and rng.random() < 0.4 * causes:
            # "Ag" typed at the end of the given names, or both words in the given names.
            if rng.random() < 0.6:
                row["given_names"] = f"{row['given_names']} {words[0]}"
                row["family_name"] = " ".join(words[1:])
            else:
                row["given_names"] = f"{row['given_names']} {row['family_name']}"
                row["family_name"] = words[-1]
            shown.append("particle_moved")
        if rng.random() < 0.06 * causes and row["given_names"]:
            given, family = row["given_names"].split(), row["family_name"].split()
            pick = rng.randrange(len(given) + len(family))
            if pick < len(given):
                given[pick] = _variant(rng, given[pick], table)
            else:
                family[pick - len(given)] = _variant(rng, family[pick - len(given)], table)
            family_text = " ".join(family)
            row["given_names"], row["family_name"] = (
                family_text.upper() if rng.random() < 0.5 else family_text,
                " ".join(given),
            )
            shown.append("swapped_with_variant")
    if rng.random() < 0.03 * causes:
        cell = "family_name" if named and rng.random() < 0.6 else "given_names"
        if row["full_name"] is not None:
            cell = "full_name"
        words = (row[cell] or "").split()
        if words:
            k = max(range(len(words)), key=lambda i: len(words[i]))
            words[k] = _keyboard_typo(rng, words[k].upper())
            row[cell] = " ".join(words)
            shown.append("keyboard_typo")
    birth_date = row["birth_date"]
    roll = rng.random()
    if person["birth_date"] is None:
        if roll < 0.3 * causes:
            placeholder = date(person["birth_year"], 12, 31) if rng.random() < 0.5 else None
            row["birth_date"] = placeholder or date(person["birth_year"], 1, 1)
            row["birth_year"] = None
            shown.append("birth_date_placeholder")
    elif birth_date is not None:
        if roll < 0.04 * causes:
            row["birth_date"] = birth_date + timedelta(days=rng.choice((-1, 1)))
            shown.append("birth_date_one_day")
        elif roll < 0.07 * causes and birth_date.day <= 12 and birth_date.day != birth_date.month:
            row["birth_date"] = date(birth_date.year, birth_date.day, birth_date.month)
            shown.append("birth_date_day_month")
    number = row["identifiers"].get("service_number")
    if number and rng.random() < 0.12 * causes:
        row["identifiers"]["service_number"], cause = _service_number_variant(rng, number)
        shown.append(cause)
    phone = row["identifiers"].get("phone")
    if phone and (phone.startswith(("+223", "00223")) or rng.random() < 0.5):
        shown.append("phone_country_code")
    row["causes"] = shown


def registry_rows(
    people: list[dict], seed: int = 0, *, noise: float = 0.5, identifier_rate: float = 0.8
) -> list[dict]:
    """Each person as the registry holds them (one row each).

    Names and birth data carry ``noise`` (a registry person was first typed from a roster);
    identifiers are kept with ``identifier_rate``, higher than on a single roster because the
    registry gathers every identifier seen on any of the person's rows.
    """
    rng = random.Random(seed)
    table = _variants_table()
    return [
        record_row(p, rng, noise=noise, table=table, identifier_rate=identifier_rate)
        for p in people
    ]


def generate_rosters(
    people: list[dict],
    n_rosters: int,
    rows_per_roster: int,
    seed: int = 0,
    *,
    duplicate_rate: float = 0.02,
    noise: float = 1.0,
    causes: float = 0.0,
) -> list[list[dict]]:
    """``n_rosters`` rosters of ``rows_per_roster`` rows drawn from ``people``.

    A person appears at most once per roster, except that ``duplicate_rate`` of rows are a
    second recording of someone already on the same roster (it happens with sign-in sheets).
    With ``causes``, rows show the causes of missed duplicates (:data:`MISS_CAUSES`), and some
    rosters hold one person twice as two identical rows without a birth date.
    """
    rng = random.Random(seed)
    table = _variants_table()
    rosters = []
    for _ in range(n_rosters):
        chosen = rng.sample(people, min(rows_per_roster, len(people)))
        rows = [record_row(p, rng, noise=noise, table=table, causes=causes) for p in chosen]
        for k in range(len(rows)):
            if rng.random() < duplicate_rate:
                rows[k] = record_row(
                    rng.choice(chosen[:k] or chosen), rng, noise=noise, table=table, causes=causes
                )
        if causes:
            _identical_twice(rows, rng, causes)
        rosters.append(rows)
    return rosters


def _identical_twice(rows: list[dict], rng: random.Random, causes: float) -> None:
    """A sign-in sheet copied twice into one file: one row, without a birth date or an
    identifier, appears again identically (``rows`` changed in place)."""
    if not rows or rng.random() >= 0.35 * causes:
        return
    k = rng.randrange(len(rows))
    row = rows[k]
    row["birth_date"], row["birth_year"], row["identifiers"] = None, None, {}
    row["causes"] = [*row.get("causes", []), "identical_without_birth_date"]
    twin = dict(row, identifiers={}, causes=list(row["causes"]))
    rows.insert(k + 1 + rng.randrange(len(rows) - k), twin)


#: Programmes of the activities of :func:`generate_activities` (codes of the reference data).
ACTIVITY_PROGRAMMES = (("eod_iedd", 5), ("wam", 2), ("pre_deployment", 3), ("hazard_awareness", 1))

_HUSBAND_RATE = 0.45
_PARTICLE_FAMILIES = ("Alhassane", "Intalla", "Attaher", "Mohamed", "Ahmed", "Sidi Mohamed")


def _activity_people(n: int, seed: int) -> list[dict]:
    """:func:`generate_people`, then what the miss causes need: service numbers as clerks
    type them (digits, some with a leading zero), northern family names with particles
    (Ag/Walet in Tamasheq, Ould/Mint in Hassaniya), married women's husbands' names."""
    rng = random.Random(seed + 7919)
    people = generate_people(n, seed)
    used: set[str] = set()
    for person in people:
        if "service_number" in person["identifiers"]:
            while True:
                width = rng.choice((5, 5, 6, 6, 7))
                value = f"{rng.randrange(10 ** (width - 1), 10**width)}"
                if rng.random() < 0.3:
                    value = "0" + value[1:]
                if value not in used:
                    used.add(value)
                    break
            person["identifiers"]["service_number"] = value
        female = person["sex"] == "F"
        if rng.random() < 0.08 and person["family_name"].split()[0] not in PARTICLES:
            arabic = rng.random() < 0.3
            particle = ("Mint" if female else "Ould") if arabic else ("Walet" if female else "Ag")
            person["family_name"] = f"{particle} {rng.choice(_PARTICLE_FAMILIES)}"
        if female and person["birth_year"] < 2000 and rng.random() < _HUSBAND_RATE:
            husband = _weighted(rng, FAMILY_NAMES)
            if husband != person["family_name"] and husband.split()[0] not in PARTICLES:
                person["married_family"] = husband
    return people


def generate_activities(
    n_people: int,
    seed: int = 0,
    *,
    rows_per_person: float = 2.3,
    roster_size: int = 23,
    noise: float = 1.0,
    causes: float = 1.0,
) -> dict:
    """Training activities with their rosters for ``n_people`` people, with known truth.

    Shaped after the rosters the registry was measured on (issue 11): at 1,500 people about
    3,400 rows in 150 files, at 5,000 about 11,500 rows in 500 files. Each person attends
    one to several activities (geometric, mean ``rows_per_person``); each roster holds about
    ``roster_size`` rows, a person at most once except for the deliberate repeats (a second
    recording, two identical rows without birth date). Every row carries ``truth`` (the
    person's id) and the miss causes it shows (``causes``, see :data:`MISS_CAUSES`).

    Returns ``{"people": [...], "rosters": [{"name", "title", "programme", "kind",
    "start", "end", "rows": [...]}]}``; rows have an ``outcome`` (completed mostly).
    """
    rng = random.Random(seed + 104729)
    table = _variants_table()
    people = _activity_people(n_people, seed)
    slots: list[dict] = []
    extra = max(rows_per_person - 1.0, 0.0)
    for person in people:
        count = 1
        while rng.random() < extra / (1.0 + extra):
            count += 1
        slots.extend([person] * count)
    rng.shuffle(slots)
    n_rosters = max(1, round(len(slots) / roster_size))
    members: list[list[dict]] = [[] for _ in range(n_rosters)]
    seen: list[set[str]] = [set() for _ in range(n_rosters)]
    for k, person in enumerate(slots):
        for step in range(n_rosters):
            index = (k + step) % n_rosters
            if person["truth"] not in seen[index]:
                break
        else:
            continue
        seen[index].add(person["truth"])
        members[index].append(person)
    programmes, weights = zip(*ACTIVITY_PROGRAMMES, strict=True)
    rosters = []
    for index, chosen in enumerate(members):
        if not chosen:
            continue
        rows = [record_row(p, rng, noise=noise, table=table, causes=causes) for p in chosen]
        for k in range(len(rows)):
            if rng.random() < 0.02:  # a second recording of someone on the same sheet
                rows.insert(
                    k,
                    record_row(rng.choice(chosen), rng, noise=noise, table=table, causes=causes),
                )
        _identical_twice(rows, rng, causes)
        for row in rows:
            roll = rng.random()
            row["outcome"] = "completed" if roll < 0.85 else ("passed" if roll < 0.95 else "failed")
        start = date(2015, 1, 5) + timedelta(days=rng.randrange(3650))
        rosters.append(
            {
                "name": f"roster-{index + 1:04d}.csv",
                "title": f"Session {index + 1:04d}",
                "programme": rng.choices(programmes, weights=weights)[0],
                "kind": "course",
                "start": start,
                "end": start + timedelta(days=rng.randrange(5)),
                "rows": rows,
            }
        )
    return {"people": people, "rosters": rosters}


def as_record(row: dict, key):
    """Turn a row into a ``trainees.matching.PersonRecord`` (truth left out)."""
    from trainees.matching import PersonRecord

    return PersonRecord(
        key=key,
        given_names=row.get("given_names"),
        family_name=row.get("family_name"),
        full_name=row.get("full_name"),
        sex=row.get("sex"),
        birth_date=row.get("birth_date"),
        birth_year=row.get("birth_year"),
        organisation=row.get("organisation"),
        identifiers=dict(row.get("identifiers") or {}),
    )
