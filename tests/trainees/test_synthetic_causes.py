"""The synthetic rosters show every cause of a missed duplicate (issue 11), with the truth."""

from collections import Counter

from trainees.synthetic import MISS_CAUSES, generate_activities, generate_people, generate_rosters


def test_activities_show_every_miss_cause_and_carry_the_truth():
    data = generate_activities(400, seed=3)
    rows = [row for roster in data["rosters"] for row in roster["rows"]]
    truths = {person["truth"] for person in data["people"]}
    assert {row["truth"] for row in rows} == truths  # everyone attends, nobody invented
    assert 2.0 < len(rows) / len(truths) < 2.7
    seen = Counter(cause for row in rows for cause in row["causes"])
    assert set(MISS_CAUSES) <= set(seen)
    for roster in data["rosters"]:
        assert roster["name"].endswith(".csv") and roster["start"] <= roster["end"]


def test_identical_rows_without_birth_date_inside_one_file():
    data = generate_activities(300, seed=1)
    found = 0
    for roster in data["rosters"]:
        keys = Counter(
            (row["truth"], row["given_names"], row["family_name"], row["full_name"], row["sex"])
            for row in roster["rows"]
            if "identical_without_birth_date" in row["causes"]
        )
        found += sum(1 for n in keys.values() if n >= 2)
    assert found >= 5


def test_the_earlier_api_is_unchanged_without_causes():
    people = generate_people(50, seed=2)
    rosters = generate_rosters(people, 3, 10, seed=2)
    assert all("causes" not in row for roster in rosters for row in roster)
    assert generate_rosters(people, 3, 10, seed=2) == rosters  # deterministic
    assert generate_activities(120, seed=4) == generate_activities(120, seed=4)
