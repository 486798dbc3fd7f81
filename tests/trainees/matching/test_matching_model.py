"""The linkage model: features, comparison levels, priors, training, constraints."""

from datetime import date

from trainees.matching import PersonRecord, RegistryIndex, Thresholds, match_batch, prepare
from trainees.matching.features import features, phonetic
from trainees.matching.model import (
    MIN_RECORDS_TO_TRAIN,
    LinkageModel,
    birth_level,
    identifier_level,
    model_train,
    name_level,
)


def f(given=None, family=None, **kw):
    return features(
        prepare(PersonRecord(key=kw.pop("key", "x"), given_names=given, family_name=family, **kw))
    )


def test_phonetic_key_folds_french_transcriptions():
    assert phonetic("coulibaly") == phonetic("kulibali")
    assert phonetic("diarra") == phonetic("jara")
    assert phonetic("oumar") == phonetic("omar")
    assert phonetic("toure") != phonetic("traore")


def test_name_levels():
    assert name_level(f("Moussa", "Traoré"), f("TRAORE", "moussa")) == "exact"  # swapped
    assert name_level(f("Mohamed", "Keita"), f("Mouhamed", "Keïta")) == "variant"
    moved = name_level(f("Abdoulaye", "Ag Alhassan"), f("Abdoulaye Ag", "Alhassane"))
    assert moved in ("phonetic", "jaro_winkler_92")  # the particle moved to the other cell
    assert name_level(f("Mohamed Lamine", "Traoré"), f("Mohamed", "Traoré")) == "name_added"
    assert name_level(f("Moussa", "Touré"), f("Moussa", "Traoré")) == "one_name"
    assert name_level(f("Awa", "Diallo"), f("Salif", "Keita")) == "different"


def test_birth_levels():
    a = f("A", "B", birth_date=date(1978, 3, 14))
    assert birth_level(a, f("A", "B", birth_date=date(1978, 3, 15))) == "one_digit_or_day"
    assert birth_level(a, f("A", "B", birth_date=date(1978, 3, 14))) == "exact"
    b = f("A", "B", birth_date=date(1978, 4, 5))
    assert birth_level(b, f("A", "B", birth_date=date(1978, 5, 4))) == "day_month_swapped"
    # 31/12 is the clerks' placeholder for "born about 1978": a year only
    assert birth_level(a, f("A", "B", birth_date=date(1978, 12, 31))) == "year_only"
    assert birth_level(a, f("A", "B", birth_year=1979)) == "one_year_off"
    assert birth_level(a, f("A", "B")) is None


def test_identifier_levels_tolerate_typing_errors():
    level = identifier_level("service_number")
    sn = lambda v: f("A", "B", identifiers={"service_number": v})  # noqa: E731
    assert level(sn("48885"), sn("48885")) == "exact"
    assert level(sn("80226"), sn("080226")) == "leading_zeros"
    assert level(sn("48885"), sn("48858")) == "one_edit"
    assert level(sn("48885"), sn("12345")) == "different"


def test_training_on_a_tiny_registry_keeps_the_priors_and_says_so():
    rows = [f("Awa", "Diallo", key=i).row(i) for i in range(10)]
    result = model_train(rows)
    assert not result.trained and result.model is None
    assert result.message == (
        f"10 records: at least {MIN_RECORDS_TO_TRAIN} are needed to learn; "
        f"the current model ({LinkageModel().version}) stays."
    )


def test_training_learns_parameters_and_a_new_version():
    from trainees.synthetic import as_record, generate_people, generate_rosters

    people = generate_people(300, seed=3)
    rows = [r for roster in generate_rosters(people, 4, 120, seed=4) for r in roster]
    table = [features(prepare(as_record(r, i))).row(i) for i, r in enumerate(rows)]
    result = model_train(table)
    assert result.trained and result.model.version.startswith("m-")
    model = result.model
    assert model.weight("birth", "exact") > model.weight("birth", "year_only") > 0
    assert model.weight("name", "different") < 0
    for levels in model.parameters.values():
        assert abs(sum(m for m, _u in levels.values()) - 1) < 1e-6
    again = LinkageModel.from_json(model.to_json(), version=model.version)
    assert again.weight("name", "exact") == model.weight("name", "exact")


def test_decisions_carry_the_model_version_and_each_weight():
    index = RegistryIndex(
        [PersonRecord("p", "Moussa", "Traoré", sex="M", birth_date=date(1985, 3, 14))]
    )
    row = PersonRecord("r", "MOUSSA", "TRAORE", sex="M", birth_date=date(1985, 3, 14))
    d = match_batch([row], index).decisions[0]
    assert d.outcome == "link"
    assert d.model_version == LinkageModel().version
    assert set(d.weights["weights"]) == {"name", "birth", "sex"}
    assert d.weights["weights"]["birth"]["level"] == "exact"


def test_two_identical_rows_without_birth_date_are_queued_inside_the_file():
    rows = [PersonRecord(i, "Salif", "Diarra", sex="M") for i in range(2)]
    result = match_batch(rows, RegistryIndex())
    assert len(result.groups) == 2 or result.groups[0].rows == (0, 1)
    if len(result.groups) == 2:
        ((gi, gj, d),) = result.review_pairs
        assert (gi, gj) == (0, 1) and Thresholds().review <= d.score


def test_clustering_never_joins_two_service_numbers():
    rows = [
        PersonRecord(
            0, "Issa", "Maiga", birth_date=date(1980, 4, 4), identifiers={"service_number": "M111"}
        ),
        PersonRecord(1, "Issa", "Maiga", birth_date=date(1980, 4, 4)),
        PersonRecord(
            2, "Issa", "Maiga", birth_date=date(1980, 4, 4), identifiers={"service_number": "M999"}
        ),
    ]
    result = match_batch(rows, RegistryIndex())
    for group in result.groups:
        assert not {0, 2} <= set(group.rows)


def test_clustering_joins_a_mistyped_date_through_a_shared_identifier():
    # Row 1's date is a typo that row 0's NINA excuses; row 2 agrees with row 0's date. Each
    # pair of dated rows need not agree: one agreeing pair across the two groups is enough.
    nina = {"nina": "1 1 80 1234567 001 K"}
    rows = [
        PersonRecord(0, "Issa", "Maiga", sex="M", birth_date=date(1980, 4, 4), identifiers=nina),
        PersonRecord(1, "Issa", "Maiga", sex="M", birth_date=date(1975, 9, 21), identifiers=nina),
        PersonRecord(2, "Issa", "Maïga", sex="M", birth_date=date(1980, 4, 4)),
    ]
    result = match_batch(rows, RegistryIndex())
    assert [g.rows for g in result.groups] == [(0, 1, 2)]


def test_clustering_never_chains_namesakes_born_years_apart_through_an_undated_row():
    rows = [
        PersonRecord(0, "Moussa", "Traoré", sex="M", birth_date=date(1970, 3, 2)),
        PersonRecord(1, "Moussa", "Traoré", sex="M"),
        PersonRecord(2, "Moussa", "Traoré", sex="M", birth_date=date(1992, 11, 17)),
    ]
    result = match_batch(rows, RegistryIndex())
    for group in result.groups:
        assert not {0, 2} <= set(group.rows)


def test_good_turing_discounts_the_rare_names_and_not_a_young_registry():
    from collections import Counter

    from trainees.matching.block import GOOD_TURING_MAX, GOOD_TURING_MIN_NAMES, good_turing

    histogram = Counter({1: 700, 2: 180, 3: 60, 4: 40})
    smoothed = good_turing(histogram)
    assert smoothed[1] == 2 * 180 / 700
    assert set(smoothed) == set(range(1, min(GOOD_TURING_MAX, 3) + 1))
    assert all(smoothed[r] < r for r in smoothed)
    # Too few names seen once: the tail is not known yet, the counts stay as they are.
    assert good_turing(Counter({1: GOOD_TURING_MIN_NAMES - 1, 2: 5})) == {}
    # A smoothed count that would not be below the count itself is not used.
    assert good_turing(Counter({1: 100, 2: 80})) == {}


def _word(i: int, first: str) -> str:
    return first + "".join("bdgklmnrst"[int(d)] + "aeiou"[int(d) % 5] for d in f"{i:03d}")


def _named(key, i, year):
    return PersonRecord(
        key=key,
        given_names=_word(i, "Ka"),
        family_name=_word(i, "Lo"),
        sex="M",
        birth_date=date(year, 3, 4),
    )


def test_a_name_seen_once_weighs_more_in_a_registry_with_a_long_tail():
    from collections import Counter

    from trainees.matching.block import good_turing

    people = [_named(f"p{i}", i, 1970 + i % 30) for i in range(200)]
    people += [_named(f"q{i}", i, 1960 + i % 5) for i in range(20)]
    index = RegistryIndex(people)
    histogram = Counter({1: 180, 2: 20})
    assert index.name_frequency(1) == good_turing(histogram)[1] == 2 * 20 / 180
    assert index.name_frequency(2) == 2.0  # not below 2 * 20 / 180: left as it is
    row = PersonRecord(key="r", given_names=_word(150, "Ka"), family_name=_word(150, "Lo"), sex="M")
    tail = match_batch([row], index).decisions[0]
    index.count_of_counts = Counter({1: 10})  # as a young registry: nothing smoothed
    young = match_batch([row], index).decisions[0]
    assert tail.weights["weights"]["name"]["weight"] > young.weights["weights"]["name"]["weight"]
    assert tail.score > young.score


def test_value_shares_replace_the_priors_u_of_sex_and_organisation():
    model = LinkageModel()
    same = model.with_value_shares({"sex": (0.55, 10_000)})
    assert same is model  # the registry says what the priors say: the same model
    army = model.with_value_shares({"sex": (0.78, 10_000), "organisation": (0.11, 10_000)})
    assert army.parameters["sex"]["equal"] == (0.98, 0.78)
    assert army.parameters["organisation"]["equal"] == (0.85, 0.11)
    assert army.parameters["organisation"]["different"] == (0.15, 0.89)
    assert army.version != model.version and army.version.startswith("priors-")
    # Agreeing on one organisation among many says more; on the sex of an army, less.
    assert army.weight("organisation", "equal") > model.weight("organisation", "equal")
    assert army.weight("sex", "equal") < model.weight("sex", "equal")
    # A handful of records moves the priors only a little.
    few = model.with_value_shares({"organisation": (0.11, 20)})
    assert 0.11 < few.parameters["organisation"]["equal"][1] < 0.3


def test_the_fast_path_leaves_out_only_pairs_below_the_floor():
    """Scans and imports skip a pair as soon as its names, birth, sex and organisation show
    it cannot reach the floor: exactly the pairs the full comparison puts below it, never
    one sharing an identifier."""
    from trainees.matching import compare
    from trainees.synthetic import as_record, generate_people, registry_rows

    people = generate_people(300, seed=11)
    rows = registry_rows(people, seed=12) + registry_rows(people[:150], seed=13)
    records = [prepare(as_record(r, i)) for i, r in enumerate(rows)]
    thresholds, floor = Thresholds(), 0.2
    pairs = [(i, j) for i in range(0, 300, 3) for j in range(i + 1, min(i + 80, 300))]
    pairs += [(i, 300 + i) for i in range(150)]  # each person's second recording
    checked = left_out = 0
    for i, j in pairs:
        a, b = records[i], records[j]
        full = compare(a, b, thresholds, population=1000)
        fast = compare(a, b, thresholds, floor=floor, population=1000)
        checked += 1
        if fast is None:
            left_out += 1
            assert full.score < floor and not full.pair.strong_shared
        else:
            assert fast.score == full.score
    assert left_out > 1000 and checked - left_out > 100


def test_the_training_sql_reads_every_comparison_level_as_the_scorer_does():
    # splink learns the weights on DuckDB from the SQL conditions; the engine scores with
    # the Python levels: the two must put every pair in the same level.
    import duckdb
    import pandas as pd

    from trainees.matching.model import COMPARISONS

    gao, fama = "Quartier Château, Gao", "Forces Armées Maliennes"
    records = [
        ("Soph Ie", "Nicolle", date(1911, 10, 1), "F", None, gao, {"passport": "P7492384"}),
        ("Sophie", "Nicolle", date(1911, 10, 1), "F", None, "Chateau", {"passport": "P7492348"}),
        ("Maha Madou", "Touré", date(1985, 3, 14), "M", fama, gao, {"phone": "76 12 34 56"}),
        ("Mahamadou", "Touré", date(1985, 3, 12), "M", fama, "Gao", {"passport": "P0748",
                                                                     "phone": "+22376123456"}),
        ("Mohamed", "Traoré", date(1985, 1, 1), "M", "Garde nationale", None,
         {"service_number": "M0048885"}),
        ("Mouhamed Lamine", "Traore", None, None, "Garde nationale", "Mopti",
         {"passport": "P748", "service_number": "M048858"}),
        ("M.", "Traoré", date(1986, 3, 14), "M", fama, None, {"service_number": "M0012345"}),
        ("Oumar Ali", "Touré", date(1985, 3, 14), "M", None, None, {"nina": "11850001234567A"}),
        ("Fatoumata", "Coulibaly", date(1990, 2, 3), "F", fama, "Gao", {"nina": "12900001234567A"}),
        ("Fatoumata", "Kulibaly", date(1990, 3, 2), "F", None, None, {"nina": "12900001234576A"}),
    ]  # fmt: skip
    fields = ("given_names", "family_name", "birth_date", "sex", "organisation", "residence")
    prepared = [
        prepare(PersonRecord(key=i, identifiers=row[-1], **dict(zip(fields, row, strict=False))))
        for i, row in enumerate(records)
    ]
    rows = pd.DataFrame([features(p).row(i) for i, p in enumerate(prepared)])
    con = duckdb.connect()
    con.register("records", rows)
    cases = []
    for comp in COMPARISONS:
        whens = " ".join(
            f"WHEN {cond} THEN '{label}'" for label, cond in comp.sql if cond != "ELSE"
        )
        cases.append(f"CASE {whens} ELSE '{comp.sql[-1][0]}' END AS {comp.name}")
    columns = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in rows.columns)
    # The model's own conditions and columns, no input.
    pairs = f"SELECT l.unique_id AS l_id, r.unique_id AS r_id, {columns} FROM records l "  # noqa: S608
    pairs += "JOIN records r ON l.unique_id < r.unique_id"
    query = f"SELECT l_id, r_id, {', '.join(cases)} FROM ({pairs})"  # noqa: S608
    compared, seen = 0, set()
    for row in con.execute(query).fetchall():
        a, b = features(prepared[row[0]]), features(prepared[row[1]])
        for comp, sql_label in zip(COMPARISONS, row[2:], strict=True):
            label = comp.level(a, b) or "null"
            assert label == sql_label, (comp.name, row[:2])
            seen.add((comp.name, label))
            compared += 1
    assert compared == len(COMPARISONS) * len(records) * (len(records) - 1) // 2
    # Every comparison was seen at a level other than its null one.
    assert {name for name, label in seen if label != "null"} >= {
        "name", "birth", "sex", "organisation", "phone", "residence", "passport", "nina",
        "service_number",
    }  # fmt: skip
