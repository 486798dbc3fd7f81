"""Engine rules on small, readable examples."""

from datetime import date

import pytest

from trainees.matching import (
    PersonRecord,
    RegistryIndex,
    Thresholds,
    compare,
    duplicate_scan,
    match_batch,
    match_record,
    prepare,
)

T = Thresholds()


def person(key, given, family, **kw):
    return PersonRecord(key=key, given_names=given, family_name=family, **kw)


MOUSSA = person(
    "moussa",
    "Moussa",
    "Traoré",
    sex="M",
    birth_date=date(1985, 3, 14),
    organisation="Garde nationale",
    identifiers={"service_number": "M0123456", "phone": "76 12 34 56"},
)
AMINATA = person(
    "aminata",
    "Aminata",
    "Coulibaly",
    sex="F",
    birth_year=1990,
    identifiers={"nina": "1 2 90 1234567 001 K"},
)
SOULEYMANE = person(
    "souleymane",
    "Mohamed Lamine",
    "Keïta",
    sex="M",
    birth_date=date(1978, 11, 2),
    identifiers={"passport": "AA1234567"},
)


@pytest.fixture
def index():
    return RegistryIndex([MOUSSA, AMINATA, SOULEYMANE])


# -- identifiers -----------------------------------------------------------------------------


def test_strong_identifier_links_at_once(index):
    row = person("r", "M.", "TRAORE", identifiers={"service_number": "m 012 3456"})
    d = match_record(row, index)
    assert (d.outcome, d.candidate) == ("link", "moussa")
    assert d.score >= T.link  # a probability now: never exactly 1
    assert d.codes[0] == "identifier_match"
    assert d.reasons[0]["text"] == "Same service_number: M0123456."


def test_identifier_conflict_blocks_the_automatic_link(index):
    row = person(
        "r",
        "Moussa",
        "Traore",
        birth_date=date(1985, 3, 14),
        identifiers={"service_number": "M0123456", "nina": "1 1 85 0000000 001 A"},
    )
    registry = RegistryIndex(
        [
            PersonRecord(
                **{
                    **MOUSSA.__dict__,
                    "identifiers": {"service_number": "M0123456", "nina": "1 1 85 9999999 001 B"},
                }
            )
        ]
    )
    d = match_record(row, registry)
    assert d.outcome == "review"
    assert d.candidate == "moussa"
    assert "identifier_conflict" in d.codes
    # The model's probability stays as computed (the same birth date and service number are
    # strong); the constraint holds the link for a person.
    assert T.review <= d.score
    assert "held_identifier_conflict" in d.codes


def test_identifiers_pointing_to_two_people_go_to_review(index):
    row = person(
        "r",
        "Moussa",
        "Traoré",
        identifiers={"service_number": "M0123456", "nina": "1 2 90 1234567 001 K"},
    )
    d = match_record(row, index)
    assert d.outcome == "review"
    assert d.codes[0] == "identifier_split"
    assert set(d.reasons[0]["params"]["candidates"]) == {"moussa", "aminata"}


def test_identifiers_of_two_people_who_could_be_one_link_and_queue_them():
    # Moussa was recorded twice: once with his service number, once with his NINA. A row
    # carrying both reaches each at the link level, and nothing between the two disagrees.
    twice = [
        person("a", "Moussa", "Traoré", sex="M", birth_date=date(1985, 3, 14),
               identifiers={"service_number": "M0123456"}),
        person("b", "Moussa", "Traore", sex="M", birth_year=1985,
               identifiers={"nina": "1 1 85 1234567 001 K"}),
    ]  # fmt: skip
    row = person(
        "r", "Moussa", "Traoré", sex="M", birth_date=date(1985, 3, 14),
        identifiers={"service_number": "M0123456", "nina": "1 1 85 1234567 001 K"},
    )  # fmt: skip
    d = match_record(row, RegistryIndex(twice))
    assert (d.outcome, d.candidate) == ("link", "a")
    assert d.codes[0] == "registry_duplicate"
    assert [k for k, _s in d.alternatives] == ["b"]
    result = match_batch([row], RegistryIndex(twice))
    assert (result.groups[0].outcome, result.groups[0].candidates) == ("link", ("a", "b"))
    # Born years apart, the two are two people: one of the row's numbers is wrong, a person
    # decides.
    apart = [twice[0], person("b", "Moussa", "Traore", sex="M", birth_year=1961,
                              identifiers={"nina": "1 1 85 1234567 001 K"})]  # fmt: skip
    d = match_record(row, RegistryIndex(apart))
    assert d.outcome == "review" and d.codes[0] == "identifier_split"


def test_shared_phone_never_links_alone(index):
    brother = person("r", "Moussa", "Traoré", sex="M", identifiers={"phone": "+22376123456"})
    d = match_record(brother, index)
    assert d.outcome != "link"
    assert "phone_shared" in d.codes
    relative = person("r2", "Awa", "Traoré", sex="F", identifiers={"phone": "0022376123456"})
    assert match_record(relative, index).outcome == "new"


def test_shared_phone_links_when_name_sex_and_organisation_agree(index):
    # The same man on a later sheet, without his date of birth: name, sex, organisation and
    # phone all agree, which relatives sharing a phone do not.
    row = person(
        "r", "MOUSSA", "Traore", sex="M", organisation="Garde nationale",
        identifiers={"phone": "0022376123456"},
    )  # fmt: skip
    d = match_record(row, index)
    assert (d.outcome, d.candidate) == ("link", "moussa")
    assert "held_phone_only" not in d.codes
    # Another organisation on the row: the phone decides alone again, and is held.
    elsewhere = person(
        "r", "Moussa", "Traoré", sex="M", organisation="Police nationale",
        identifiers={"phone": "+22376123456"},
    )  # fmt: skip
    assert match_record(elsewhere, index).outcome == "review"
    assert "held_phone_only" in match_record(elsewhere, index).codes


def test_shared_identifier_with_unrelated_names_is_reviewed(index):
    row = person("r", "Kadidia", "Sangaré", sex="F", identifiers={"passport": "AA 1234567"})
    d = match_record(row, index)
    assert d.outcome == "review"
    assert d.codes[0] == "identifier_name_mismatch"


def test_invalid_identifier_is_ignored_with_a_reason(index):
    row = person("r", "Moussa", "Traoré", identifiers={"nina": "123"})
    d = match_record(row, index)
    assert d.reasons[0]["code"] == "identifier_invalid"
    assert d.reasons[0]["params"]["type"] == "nina"


# -- names and birth -------------------------------------------------------------------------


def test_swapped_order_and_variants_link_with_full_birth_date(index):
    row = person("r", "TRAORE", "Mousa", sex="M", birth_date=date(1985, 3, 14))
    d = match_record(row, index)
    assert (d.outcome, d.candidate) == ("link", "moussa")
    assert {"names_swapped", "name_variant", "birth_date_equal"} <= set(d.codes)


def test_whole_name_in_one_column(index):
    row = PersonRecord("r", full_name="KEITA Mohamed Lamine", birth_date=date(1978, 11, 2))
    assert match_record(row, index).candidate == "souleymane"


def test_missing_given_name_still_meets(index):
    row = person("r", "Mohammed", "Keita", sex="M", birth_date=date(1978, 11, 2))
    d = match_record(row, index)
    assert (d.outcome, d.candidate) == ("link", "souleymane")
    assert "name_added" in d.codes


def test_birth_year_only_is_not_enough_to_link(index):
    row = person("r", "Aminata", "Coulibaly", sex="F", birth_year=1990)
    d = match_record(row, index)
    assert (d.outcome, d.candidate) == ("review", "aminata")
    assert "birth_year_equal" in d.codes


def test_placeholder_birth_date_counts_as_a_year(index):
    row = person("r", "Aminata", "Coulibaly", sex="F", birth_date=date(1990, 1, 1))
    d = match_record(row, index)
    assert d.outcome == "review"
    assert "birth_year_equal" in d.codes


def test_conflicting_birth_date_is_strong_negative(index):
    row = person("r", "Moussa", "Traoré", sex="M", birth_date=date(1991, 6, 2))
    assert match_record(row, index).outcome == "new"
    close = person("r", "Moussa", "Traoré", sex="M", birth_date=date(1985, 4, 20))
    assert match_record(close, index).outcome != "link"


def test_sex_conflict_never_links(index):
    row = person("r", "Moussa", "Traoré", sex="F", birth_date=date(1985, 3, 14))
    d = match_record(row, index)
    assert d.outcome == "review"
    assert "sex_conflict" in d.codes


@pytest.mark.parametrize(
    ("given", "family"),
    [("Moussa", "Touré"), ("Mamadou", "Traoré"), ("Fanta", "Coulibaly"), ("Aminata", "Konaté")],
)
def test_different_names_with_the_same_birth_are_new(index, given, family):
    dob = {"Traoré": date(1985, 3, 14), "Touré": date(1985, 3, 14)}.get(family)
    row = person("r", given, family, birth_date=dob, birth_year=1990 if dob is None else None)
    d = match_record(row, index)
    # One name in common and the same full birth date is a doubt worth a look (a misread
    # given name); it never links, and without the birth date it is a new person.
    assert d.outcome != "link"
    if dob is None:
        assert d.outcome == "new"


def test_no_candidate(index):
    d = match_record(person("r", "Zoumana", "Kampo"), index)
    assert (d.outcome, d.candidate, d.score, d.codes) == ("new", None, 0.0, ["no_candidate"])


def test_common_name_needs_more_than_a_name():
    namesakes = [
        person(i, "Moussa", "Traoré", sex="M", birth_date=date(1960 + i, 5, 5)) for i in range(40)
    ]
    index = RegistryIndex(namesakes)
    d = match_record(person("r", "Moussa", "Traore", sex="M"), index)
    assert d.outcome == "new"
    assert d.codes[0] == "namesakes"
    assert d.reasons[0]["params"] == {"count": 40}
    row = person("r", "Moussa", "Traore", sex="M", birth_date=date(1970, 5, 5))
    d = match_record(row, index)
    assert (d.outcome, d.candidate) == ("link", 10)
    assert "name_common" in d.codes


def test_two_people_at_the_link_threshold_are_ambiguous():
    twins = [
        person("a", "Awa", "Diallo", sex="F", birth_date=date(2000, 2, 2)),
        person("b", "Awa", "Jallo", sex="F", birth_date=date(2000, 2, 2)),
    ]
    d = match_record(
        person("r", "Awa", "Diallo", birth_date=date(2000, 2, 2)), RegistryIndex(twins)
    )
    # The two registry people may be one (nothing tells them apart): the row links to the
    # more probable and the other is queued, instead of a third Awa Diallo being created.
    assert (d.outcome, d.candidate) == ("link", "a")
    assert d.codes[0] == "registry_duplicate"
    assert [k for k, _s in d.alternatives] == ["b"]
    result = match_batch(
        [person(0, "Awa", "Diallo", birth_date=date(2000, 2, 2))], RegistryIndex(twins)
    )
    assert result.groups[0].candidates == ("a", "b")


def test_compare_is_symmetric():
    a = prepare(person("a", "Mohamed Lamine", "Keita", sex="M", birth_year=1978))
    b = prepare(person("b", "KEÏTA", "Mouhamed", birth_date=date(1978, 11, 2)))
    ab, ba = compare(a, b, T), compare(b, a, T)
    assert ab.score == ba.score and ab.outcome == ba.outcome


def test_reasons_are_structured(index):
    d = match_record(person("r", "Moussa", "Traoré", birth_date=date(1985, 3, 14)), index)
    for reason in d.reasons:
        assert set(reason) == {"code", "text", "params"}
        assert isinstance(reason["text"], str) and reason["text"]
    assert d.reasons[-1]["code"] == "above_link_threshold"
    assert d.to_dict()["outcome"] == "link"


def test_thresholds_are_configurable(index):
    row = person("r", "Aminata", "Coulibaly", sex="F", birth_year=1990)
    assert match_record(row, index, thresholds=Thresholds(link=0.85, review=0.6)).outcome == "link"
    with pytest.raises(ValueError):
        Thresholds(link=0.5, review=0.7)


# -- index, batch, scan ----------------------------------------------------------------------


def test_index_add_and_discard(index):
    with pytest.raises(ValueError):
        index.add(MOUSSA)
    index.discard("moussa")
    assert "moussa" not in index and len(index) == 2
    row = person("r", "Moussa", "Traoré", birth_date=date(1985, 3, 14))
    assert match_record(row, index).outcome == "new"
    index.add(MOUSSA.__class__(**{**MOUSSA.__dict__, "key": "moussa2"}))
    assert match_record(row, index).candidate == "moussa2"


def test_batch_groups_duplicates_inside_one_file(index):
    rows = [
        person(0, "Hawa", "Sangaré", sex="F", birth_date=date(1999, 9, 9)),
        person(1, "Aminata", "Coulibaly", sex="F", identifiers={"nina": "12901234567001K"}),
        person(2, "SANGARE", "Hawa", birth_date=date(1999, 9, 9)),
        person(3, "Oumar", "Dicko", sex="M", birth_year=2001),
        person(4, "Aminata", "Kulibali", sex="F", identifiers={"nina": "1 2 90 1234567 001 k"}),
    ]
    result = match_batch(rows, index)
    assert result.people == 3
    by_rows = {g.rows: g for g in result.groups}
    assert by_rows[(0, 2)].outcome == "new"
    assert by_rows[(0, 2)].reasons[0]["code"] == "batch_duplicate"
    assert (by_rows[(1, 4)].outcome, by_rows[(1, 4)].person) == ("link", "aminata")
    assert by_rows[(3,)].outcome == "new"
    assert [(i, j) for i, j, _d in result.pairs] == [(0, 2), (1, 4)]


def test_batch_rows_linking_two_registry_people_go_to_review():
    registry = RegistryIndex(
        [
            person("p1", "Issa", "Maïga", sex="M", identifiers={"un_index": "12345678"}),
            person("p2", "Issa", "Maiga", sex="M", identifiers={"un_index": "87654321"}),
        ]
    )
    rows = [
        person(
            0, "Issa", "Maïga", birth_date=date(1980, 4, 4), identifiers={"un_index": "12345678"}
        ),
        person(1, "Issa", "Maïga", birth_date=date(1980, 4, 4), identifiers={"phone": "66000000"}),
        person(
            2, "Issa", "Maïga", birth_date=date(1980, 4, 4), identifiers={"un_index": "87654321"}
        ),
    ]
    result = match_batch(rows, registry)
    # Constrained clustering: no group joins the two registry people (different UN index
    # numbers); the doubt between the groups goes to the review queue instead.
    linked = [g.person for g in result.groups if g.outcome == "link"]
    assert sorted(linked) == ["p1", "p2"]
    assert all(len({g.person} | set(g.candidates)) <= 2 for g in result.groups)
    assert result.review_pairs


def test_duplicate_scan_and_exclusions():
    registry = RegistryIndex(
        [
            person("a", "Fatoumata", "Diarra", sex="F", birth_date=date(1995, 7, 7)),
            person("b", "Fatimata", "Jara", sex="F", birth_date=date(1995, 7, 7)),
            person("c", "Fanta", "Diarra", sex="F", birth_date=date(1995, 7, 7)),
            person("d", "Oumou", "Sylla", sex="F", birth_year=1995),
            person("e", "Oumou", "Sylla", sex="F", birth_year=1995),
        ]
    )
    pairs = duplicate_scan(registry)
    assert [(a, b, d.outcome) for a, b, d in pairs] == [
        ("a", "b", "link"),
        ("d", "e", "review"),
    ]
    assert duplicate_scan(registry, exclude_pairs={("b", "a")})[0][:2] == ("d", "e")


def test_records_whose_every_name_is_mistyped_meet_through_their_date_of_birth():
    # No name token, skeleton or token-and-year in common: only the full date brings them
    # together, and their names and number say they are one person.
    registry = RegistryIndex(
        [
            person(
                "marco",
                "Marco",
                "Maleszka",
                birth_date=date(1939, 12, 23),
                identifiers={"service_number": "M9915886"},
            ),
            person("other", "Awa", "Diarra", birth_date=date(1939, 12, 23)),
        ]
    )
    row = person("row", "Maroc", "Malezka", birth_date=date(1939, 12, 23),
                 identifiers={"service_number": "M9918586"})  # fmt: skip
    slots = registry.candidate_slots(prepare(row))
    assert {registry.slot(s).key for s in slots} == {"marco", "other"}
    # Not in the full scan, where every person would meet everyone born that day.
    assert registry.candidate_slots(prepare(row), scan=True) == set()
    decision = match_record(row, registry)
    assert decision.candidate == "marco" and decision.outcome != "new"


def test_a_placeholder_date_is_no_blocking_key():
    registry = RegistryIndex([person("a", "Awa", "Diarra", birth_date=date(1980, 1, 1))])
    row = prepare(person("row", "Salif", "Keita", birth_date=date(1980, 1, 1)))
    assert registry.candidate_slots(row) == set()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Soph Ie", "Nicolle"), ("Sophie", "Nicolle")),
        (("Maha Madou", "Touré"), ("Mahamadou", "Touré")),
        (("Fatou", "Dia Kité"), ("Fatou", "Diakité")),
        # The whole name in one cell, family name first, against the two cells.
        ((None, "MAIGA Hama Dou"), ("Hamadou", "Maïga")),
    ],
)
def test_a_space_typed_inside_a_name_or_left_out_is_the_same_name(first, second):
    from trainees.matching.features import features
    from trainees.matching.model import name_level

    def record(key, names):
        given, family = names
        if given is None:
            return prepare(PersonRecord(key=key, full_name=family))
        return prepare(person(key, given, family))

    a, b = record("a", first), record("b", second)
    assert name_level(features(a), features(b)) == "variant"
    # Two different names joined are not one: "Ali Oumar" is not "Alioum Ar".
    c = prepare(person("c", "Oumar Ali", second[1] or "Keita"))
    assert name_level(features(a), features(c)) != "variant"


@pytest.mark.parametrize(
    ("known", "row", "links"),
    [
        # A family name changed (marriage) or left blank, the number typed with one digit
        # swapped, the same full date: one person.
        (("Makenzi", "Lowe", "passport", "AA3748468"),
         ("Makenzi", "Weaver", "passport", "AA3748458"), True),
        (("Makenzi", "Lowe", "passport", "AA3748468"),
         ("Makenzi", None, "passport", "AA3748458"), True),
        # Same family name, same date, numbers one digit apart (issued together), other
        # given names: twins, or siblings recorded on one day. A person decides.
        (("Hassane", "Maïga", "service_number", "M0048885"),
         ("Housseini", "Maïga", "service_number", "M0048886"), False),
    ],
)  # fmt: skip
def test_a_mistyped_number_and_one_date_link_names_that_meet_as_one_person_s(known, row, links):
    born = date(1937, 1, 23)

    def record(key, names):
        given, family, id_type, number = names
        return person(key, given, family, birth_date=born, identifiers={id_type: number})

    registry = RegistryIndex([record("known", known)])
    assert (match_record(record("row", row), registry).outcome == "link") is links
