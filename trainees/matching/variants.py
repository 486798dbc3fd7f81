"""Spelling variants of the same name, as they appear on Malian and Sahelian rosters.

Why a table and not a phonetic algorithm. Soundex, Metaphone and their French adaptations
were built for European surnames; on Sahelian names they either miss real variants
(Diarra/Jara, Coulibaly/Kulibali, Diallo/Jallo are the same name in French and in Bambara
orthography) or, worse, fold different names together (Touré/Traoré, Mamadou/Mohamed, Moussa
and Mamadou reduce to near-identical codes). Merging two different people is as wrong as
counting one person twice, so the only names we treat as equal are those listed here.

Where the variants come from.

* French colonial and administrative spelling versus the national-language orthographies
  adopted after 1967 (Bambara/Manding: ``ou`` -> ``u``, ``dj``/``di`` -> ``j``, ``c``/``qu``
  -> ``k``, no final ``y``): Coulibaly/Kulibali, Diarra/Jara, Diallo/Jallo, Traoré/Tarawele,
  Touré/Ture, Camara/Kamara, Diakité/Jakite.
* Transliterations of one Arabic name through French, English and Fula/Songhay/Hausa forms:
  Mohamed/Mohammed/Mouhamed/Mahamed/Muhammad/Mahamat; Ibrahim/Ibrahima/Brahima;
  Boubacar/Aboubacar/Aboubakar; Oumar/Umar/Omar; Amadou/Hamadou/Ahmadou;
  Aïssata/Aichata/Aïssatou; Mariam/Mariame/Mariama.
* Simple doubling or dropping of a letter that clerks do without thinking (Moussa/Mousa,
  Dicko/Dikko, Cissé/Sissé). Accents are removed before lookup, so Traoré/Traore, Keïta/Keita,
  Maïga/Maiga, Haïdara/Haidara and Sidibé/Sidibe meet through :func:`normalise_text` alone.

What is deliberately NOT a variant. Names that share an origin but are used in Mali as
different names of different people stay apart: Mamadou is not Mohamed, Mahamane is not
Mohamed, Amadou is not Ahmed, Fanta and Fatou are not Fatoumata, Fatima is not Fatoumata,
Awa is not Hawa, Aïcha is not Aïssata, Bakary is not Boubacar, Oumarou is not Oumar, Adama is not
Adam, Kadiatou is not Kadidia, Touré is not Traoré, Keïta is not Konaté. When in doubt a pair is
left out: the scorer still sees a near spelling through fuzzy similarity and sends it to review
rather than linking it.

Each spelling belongs to exactly one group (a test checks it), and two spellings in different
groups are, for the scorer, different names: their similarity is 0 however close the letters are.
"""

from __future__ import annotations

import re

from .normalise import name_tokens, normalise_text

__all__ = [
    "VARIANT_GROUPS",
    "canonical_name",
    "canonical_token",
    "is_known",
    "known_spellings",
    "skeleton",
]

# canonical key -> other spellings (already accent-free, lower case). The key is also a spelling.
VARIANT_GROUPS: dict[str, tuple[str, ...]] = {
    # ---- given names, men -----------------------------------------------------------------
    "mohamed": (
        "mohammed",
        "mouhamed",
        "mahamed",
        "muhammad",
        "mohamad",
        "mohammad",
        "mouhammed",
        "muhamed",
        "mohamet",
        "mahamet",
        "mahamat",
        "mouhamad",
        "mahammed",
        "mohammad",
        "mouhammad",
    ),
    "mamadou": ("mahamadou", "mamadu", "mahamadu", "mamadi", "mamady", "mahamadi"),
    "mahamane": ("mahaman", "mahamanne"),
    "moussa": ("mousa", "musa", "moussah", "mussa"),
    "oumar": ("umar", "omar", "oumare", "oummar"),
    "oumarou": ("umaru", "oumarou", "oumarou"),
    "boubacar": (
        "aboubacar",
        "boubakar",
        "aboubakar",
        "abubakar",
        "boubacari",
        "aboubakr",
        "boubakr",
        "abubakr",
        "aboubacrine",
        "boubacrine",
    ),
    "bakary": ("bakari", "bakarye"),
    "amadou": ("hamadou", "ahmadou", "amadu", "hamadu", "ahmadu", "amadou"),
    "ahmed": ("ahmad", "ahmet", "ahamed"),
    "ibrahim": ("ibrahima", "brahima", "brahim", "ibrahime", "ibrahimou", "ibrahima"),
    "abdoulaye": ("abdoulay", "abdulaye", "abdoulahi", "abdoulaye"),
    "souleymane": (
        "souleimane",
        "suleiman",
        "sulaiman",
        "souleyman",
        "soulemane",
        "soulaymane",
        "souleman",
        "suleyman",
        "souleimaine",
    ),
    "seydou": ("seidou", "seydu", "seydo"),
    "ousmane": ("usman", "ousman", "osmane", "outhmane", "housmane", "ousmann"),
    "youssouf": ("yousouf", "yusuf", "youssef", "youssouph", "yousuf"),
    "issa": ("isa", "issah"),
    "adama": ("adamma",),
    "aliou": ("aliyou", "aliyu", "alioune"),
    "ali": ("aly", "alli"),
    "sekou": ("seku", "sekkou"),
    "cheick": ("cheik", "cheikh", "chek", "cheickh", "sheikh", "sheick", "cheich"),
    "drissa": ("idrissa", "idrissa", "drissa", "idriss", "driss"),
    "lassana": ("lassane", "lasana"),
    "lassina": ("lasina",),
    "yacouba": ("yakouba", "yacuba", "yakuba", "yacoub", "yacoubou"),
    "daouda": ("dawda", "daoud", "dawuda", "daouada"),
    "hamidou": ("hamidu", "hamidou"),
    "salif": ("salifou", "salifu", "saliff"),
    "alassane": ("alasane", "alhassane", "alassan"),
    "hassane": ("hassan", "hasan", "hassana"),
    "moctar": ("mokhtar", "mouctar", "moktar", "mukhtar", "mohktar", "mokhtare"),
    "harouna": ("haroun", "harona", "harouna", "harounah"),
    "kalifa": ("khalifa", "califa", "kalifah"),
    "sidiki": ("siddiki", "sidiqui", "sidikki"),
    "siaka": ("siaka",),
    "modibo": ("modibbo",),
    "tiemoko": ("tiemokho", "tyemoko"),
    "intalla": ("intallah", "intala"),
    "attaher": ("ataher", "attahir", "attaheer"),
    "alghabass": ("alghabas", "algabass"),
    "sidi": ("sidy",),
    "hamza": ("hamzah", "hamsa"),
    "abdourahamane": ("abdourahmane", "abdrahamane", "abderrahmane", "abdourahman"),
    "karim": ("kareem", "karime"),
    "kader": ("kadre", "qader"),
    "aziz": ("azize",),
    # ---- given names, women ---------------------------------------------------------------
    "fatoumata": ("fatimata", "fatouma", "fatimatou", "fatoumatou", "fatumata"),
    "fatima": ("fatimah", "fatime"),
    "fanta": ("fantah",),
    "aissata": ("aichata", "aissatou", "aichatou", "aisata", "aissatta"),
    "aicha": ("aisha", "aichah"),
    "mariam": ("mariame", "mariama", "maryam", "mariyam", "mariem", "maryem"),
    "aminata": ("aminatou", "aminatu", "amminata"),
    "kadiatou": ("khadiatou", "kadiatu", "kadiatoun"),
    "kadidia": ("kadidja", "khadija", "khadidja", "kadija", "khadidia"),
    "oumou": ("umu", "oumoul"),
    "awa": ("aoua",),
    "hawa": ("haoua",),
    "djeneba": ("dieneba", "jeneba", "djenaba", "jenaba", "djenebou"),
    "zeinab": ("zeynab", "zainab", "zeinabou", "zeynabou"),
    "assitan": ("assitane",),
    "rokia": ("rokiatou", "rokiya", "rokya", "roukia", "rokiatu", "rokiata"),
    "salimata": ("salimatou", "salimatu"),
    "safiatou": ("safiatu", "safietou", "safiata"),
    "maimouna": ("maimounatou", "maimuna", "maymouna"),
    "bintou": ("bintu",),
    "ramata": ("ramatou", "ramatu"),
    "korotoumou": ("korotumu",),
    "nana": ("nanah",),
    "hadizatou": ("hadiza", "hadizatu"),
    "tenin": ("tenen", "teninba"),
    "sali": ("saly",),
    "mah": ("ma",),
    "fousseyni": ("fousseni", "fouseyni", "foussenie", "fuseni"),
    # ---- family names -----------------------------------------------------------------------
    "coulibaly": ("kulibali", "koulibaly", "coulibali", "kulibaly", "koulibali", "couliballi"),
    "diarra": ("jara", "diara", "djarra", "jarra"),
    "keita": ("keyta", "kejta"),
    "konate": ("konnate", "konatte"),
    "traore": ("tarawele", "trawore", "traorre"),
    "toure": ("ture", "tourre"),
    "maiga": ("mayga",),
    "diallo": ("jallo", "djallo", "jalo", "diallou"),
    "cisse": ("sisse", "sise", "cise", "cissey"),
    "sidibe": ("sidibeh", "cidibe"),
    "dicko": ("dikko", "diko", "dico", "dicco"),
    "haidara": ("haydara", "aidara", "haidarra"),
    "sangare": ("sangaree", "sangari"),
    "doumbia": ("dumbia", "doumbiya", "dumbiya"),
    "camara": ("kamara",),
    "sissoko": ("cissoko", "sisoko", "sisoco"),
    "kante": ("kantee",),
    "dembele": ("dembelle", "dembeli"),
    "kone": ("konee",),
    "samake": ("samakee",),
    "bagayoko": ("bagayogo", "bagayoco"),
    "diakite": ("jakite", "diakhite", "djakite"),
    "kouyate": ("kuyate",),
    "sanogo": ("sanogho",),
    "berthe": ("berte",),
    "ba": ("bah",),
    "ndiaye": ("njie", "ndiay"),
    "tembely": ("tembeli", "tembelly"),
    "sacko": ("sako", "sakko"),
    "fofana": ("fofanah",),
    "guindo": ("guindou",),
    "sylla": ("sila", "silla"),
    "doucoure": ("dukure", "doukoure"),
    "kanoute": ("kanute",),
    "ouattara": ("watara", "wattara", "ouatara"),
    "sangho": ("sango",),
    "mariko": ("mariko",),
    "thiam": ("tiam",),
    "kassogue": ("kasogue", "kassoge"),
    "poudiougo": ("pudiugo",),
    "yattara": ("yatara",),
    "djire": ("jire",),
    "magassa": ("magasa",),
    "niang": ("niange",),
    "dao": (),
    "dolo": ("dollo",),
    "togo": ("togho",),
    "tangara": ("tangarra",),
}

_CANONICAL: dict[str, str] = {}
for _key, _spellings in VARIANT_GROUPS.items():
    for _spelling in (_key, *_spellings):
        _norm = normalise_text(_spelling).replace(" ", "")
        _previous = _CANONICAL.setdefault(_norm, _key)
        if _previous != _key:  # pragma: no cover - guarded by a test as well
            raise ValueError(f"{_spelling!r} is listed under both {_previous!r} and {_key!r}")

_KNOWN = frozenset(_CANONICAL)


def known_spellings() -> frozenset[str]:
    """Every spelling in the table (normalised); used to split glued particles."""
    return _KNOWN


def is_known(token: str) -> bool:
    """True when the name part of ``token`` (after any particle) is in the table."""
    return token.rpartition("+")[2] in _KNOWN


#: Keys that trade places between the AZERTY keyboards of French-speaking offices and the
#: QWERTY ones of phones and many laptops: a name typed on the other layout has one of them
#: swapped (KULIBQLI, CQMARA, DIAWARA/DIAZARA).
_LAYOUT_SWAPS = {"a": "q", "q": "a", "z": "w", "w": "z"}


def _layout_fixed(name: str) -> str | None:
    """The table's spelling ``name`` becomes when one AZERTY/QWERTY key is put back, if any.
    Only names unknown to the table are tried, so a real name never changes into another."""
    for i, letter in enumerate(name):
        other = _LAYOUT_SWAPS.get(letter)
        if other is not None:
            fixed = _CANONICAL.get(name[:i] + other + name[i + 1 :])
            if fixed is not None:
                return fixed
    return None


def canonical_token(token: str) -> str:
    """Map one normalised token (``"ag+ataher"``) to its canonical key (``"ag+attaher"``).

    A name unknown to the table that is a known spelling typed on the other keyboard layout
    (one a/q or z/w swapped) takes that spelling's key."""
    head, plus, name = token.rpartition("+")
    key = _CANONICAL.get(name)
    if key is None:
        key = _layout_fixed(name) or name
    return head + plus + key


def canonical_name(*parts: str | None) -> tuple[str, ...]:
    """Normalise, tokenise and canonicalise name parts, keeping their order."""
    return tuple(canonical_token(t) for t in name_tokens(*parts, known=_KNOWN))


_DOUBLE = re.compile(r"(.)\1+")
_SKELETON_SUBS = (("dj", "j"), ("di", "j"), ("ph", "f"), ("ck", "k"), ("c", "k"), ("q", "k"))
_VOWELS = re.compile(r"[aeiouyhw]")


def skeleton(token: str) -> str:
    """A coarse consonant skeleton of a canonical token, used only to build blocking keys.

    Blocking must let a typo (Coulbaly, Traorre) meet its correct spelling; the scorer then
    decides. Doubled letters are collapsed, vowels and ``h``/``w`` dropped and a few equivalent
    spellings folded. Different names often share a skeleton: that is fine for blocking and
    never used as evidence.
    """
    name = token.replace("+", "")
    for old, new in _SKELETON_SUBS:
        name = name.replace(old, new)
    name = _DOUBLE.sub(r"\1", name)
    stripped = _VOWELS.sub("", name)
    return stripped or name[:2]
