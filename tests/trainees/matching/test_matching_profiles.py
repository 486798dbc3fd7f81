"""A person is every record they were seen with: a row is matched against each of them, and
identifiers of other countries and residences are compared (issue 11)."""

from datetime import date

from trainees.matching import (
    PersonRecord,
    RegistryIndex,
    Thresholds,
    duplicate_scan,
    match_batch,
    match_record,
)
from trainees.matching.block import prepare
from trainees.matching.engine import records_conflict
from trainees.matching.features import features
from trainees.matching.model import LinkageModel, identifier_level, residence_level

T = Thresholds()


def rec(key, given, family, **kw):
    return PersonRecord(key=key, given_names=given, family_name=family, **kw)


# The registry's person as their first roster wrote them: no birth date, no identifier.
FIRST = rec("p1", "Fatoumata", "Sangaré", sex="F")
# What a later roster said of the same woman.
LATER = rec(
    "p1",
    "Fatimata",
    "Sangare",
    sex="F",
    birth_date=date(1978, 11, 21),
    organisation="Protection civile",
    identifiers={"phone": "76 12 34 56"},
)
ROW = rec(
    "row",
    "Fatimata",
    "SANGARE",
    sex="F",
    birth_date=date(1978, 11, 21),
    identifiers={"phone": "+223 76 12 34 56"},
)


def _namesakes(index: RegistryIndex, n: int = 30) -> None:
    for i in range(n):
        index.add(rec(f"o{i}", "Fatoumata", "Sangaré", sex="F", birth_year=1950 + i))


def test_a_row_links_through_another_record_of_the_person():
    alone = RegistryIndex([FIRST])
    _namesakes(alone)
    assert match_record(ROW, alone, thresholds=T).outcome != "link"

    profile = RegistryIndex([FIRST])
    _namesakes(profile)
    assert profile.add_alias(LATER) is not None
    decision = match_record(ROW, profile, thresholds=T)
    assert (decision.outcome, decision.candidate) == ("link", "p1")
    assert "birth_date_equal" in decision.codes


def test_a_person_is_counted_once_per_name_and_leaves_with_all_their_records():
    index = RegistryIndex([FIRST, rec("p2", "Fatoumata", "Sangaré", sex="F")])
    assert index.name_count(prepare(FIRST)) == 2
    assert index.add_alias(LATER) is not None
    assert index.add_alias(LATER) is None  # says nothing new: not filed twice
    married = rec("p1", "Fatoumata Sangaré", "Keïta", sex="F", birth_year=1978)
    assert index.add_alias(married) is not None
    # Less than a record already filed says (the year of a known date, no organisation).
    assert index.add_alias(rec("p1", "Fatoumata", "Sangare", sex="F", birth_year=1978)) is None
    assert index.add_alias(rec("p1", "Fatoumata", "Sangare", birth_year=1979)) is not None
    assert index.name_count(prepare(FIRST)) == 2  # p1 carries the name once
    assert index.name_count(prepare(married)) == 1
    assert len(index) == 2 and index.alias_count == 3
    assert [p.key for p in index.records_of("p1")] == ["p1"] * 4
    index.discard("p1")
    assert index.name_count(prepare(married)) == 0
    assert index.name_count(prepare(FIRST)) == 1
    assert match_record(ROW, index, thresholds=T).candidate != "p1"


def test_an_alias_needs_its_person():
    index = RegistryIndex()
    try:
        index.add_alias(LATER)
    except ValueError as error:
        assert "add the person first" in str(error)
    else:  # pragma: no cover
        raise AssertionError("an alias without its person was filed")


def test_the_scan_compares_every_record_of_two_people_and_proposes_the_pair_once():
    other = rec(
        "p2", "Fatimata", "Sangare", sex="F", birth_date=date(1978, 11, 21),
        identifiers={"phone": "76123456"},
    )  # fmt: skip
    index = RegistryIndex([FIRST, other])
    assert duplicate_scan(index, thresholds=T) == [] or all(
        d.score < 0.95 for _a, _b, d in duplicate_scan(index, thresholds=T)
    )
    index.add_alias(LATER)
    pairs = duplicate_scan(index, thresholds=T)
    assert [{a, b} for a, b, _d in pairs] == [{"p1", "p2"}]
    assert pairs[0][2].score >= 0.95


def test_a_row_matched_through_another_record_still_meets_the_person_s_identifiers():
    # The registry gathers a person's identifiers on their first record; a row that agrees
    # with a later record (same spelling, same date) but carries another service number
    # cannot join them.
    first = rec("p1", "Salif", "Diarra", sex="M", identifiers={"service_number": "4521"})
    index = RegistryIndex([first])
    index.add_alias(rec("p1", "Saliff", "Dyarra", sex="M", birth_date=date(1980, 5, 5)))
    same = rec(0, "Saliff", "Dyarra", sex="M", birth_date=date(1980, 5, 5))
    other = rec(1, "Saliff", "Dyarra", sex="M", birth_date=date(1980, 5, 5),
                identifiers={"service_number": "9907"})  # fmt: skip
    result = match_batch([same], index, thresholds=T)
    assert [(g.outcome, g.person) for g in result.groups] == [("link", "p1")]
    result = match_batch([other], index, thresholds=T)
    assert result.decisions[0].outcome == "review"
    assert "identifier_conflict" in result.decisions[0].codes
    assert [g.outcome for g in result.groups] == ["review"]


def test_national_ids_of_other_countries_are_evidence_not_a_constraint():
    def f(value):
        return features(prepare(rec("x", "A", "B", identifiers={"national_id": value})))

    level = identifier_level("national_id")
    assert level(f("SN:1234567"), f("SN:1234567")) == "exact"
    assert level(f("XX:1234567"), f("SN:1234567")) == "exact"  # country unknown on one side
    assert level(f("SN:1234567"), f("NE:1234567")) is None  # two countries: not comparable
    assert level(f("SN:1234567"), f("SN:1234576")) == "one_edit"
    assert level(f("SN:0123456"), f("SN:123456")) == "leading_zeros"
    assert level(f("SN:1234567"), f("SN:7654321")) == "different"
    # Different national IDs weigh against, but never forbid, the link.
    assert not records_conflict(f("SN:1234567"), f("SN:7654321"))
    a = features(prepare(rec("a", "A", "B", identifiers={"passport": "AB12345"})))
    b = features(prepare(rec("b", "A", "B", identifiers={"passport": "ZZ99881"})))
    assert records_conflict(a, b)
    model = LinkageModel()
    assert model.weight("national_id", "different") < -2
    assert model.weight("national_id", "exact") > 10


def test_a_shared_identifier_says_a_birth_date_was_mistyped():
    base = {"sex": "M", "identifiers": {"service_number": "G48885"}}
    a = rec("a", "Ibrahim", "Maïga", birth_date=date(1979, 3, 2), **base)
    b = rec("b", "Ibrahim", "Maiga", birth_date=date(1975, 8, 19), **base)
    assert not records_conflict(features(prepare(a)), features(prepare(b)))
    decision = match_record(b, RegistryIndex([a]), thresholds=T)
    assert (decision.outcome, decision.candidate) == ("link", "a")
    # Without the shared number the dates keep them apart.
    c = rec("c", "Ibrahim", "Maiga", sex="M", birth_date=date(1975, 8, 19))
    assert records_conflict(features(prepare(a)), features(prepare(c)))
    assert match_record(c, RegistryIndex([a]), thresholds=T).outcome != "link"


def test_residences_are_compared():
    def f(value):
        return features(prepare(rec("x", "A", "B", residence=value)))

    assert residence_level(f("Château, Gao"), f("chateau gao")) == "exact"
    assert residence_level(f("Quartier Chateau Gao"), f("Quartier Chateau Gaoo")) == "close"
    assert residence_level(f("Sosso Koira, Gao"), f("Gao")) == "shared_words"
    assert residence_level(f("Kidal"), f("Tessalit")) == "different"
    assert residence_level(f("Kidal"), f(None)) is None
    model = LinkageModel()
    assert model.weight("residence", "exact") > 0 > model.weight("residence", "different")
