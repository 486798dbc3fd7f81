"""People: creation, identifiers, the person behind an online account."""

import datetime
import math

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.trainees.factories import PersonFactory
from trainees.models import Identifier, MatchDecision, Person
from trainees.selectors import people_search, person_for_user
from trainees.services import identifier_add, person_create, person_for_user_ensure


@pytest.mark.django_db
def test_person_create_normalises_names_and_identifiers():
    person = person_create(
        given_names="Mohammed Lamine",
        family_name="TRAORE",
        sex="M",
        birth_date=datetime.date(1988, 2, 3),
        phone="76 12 34 56",
        identifiers=[("service_number", "m-123 456")],
    )
    assert person.birth_year == 1988
    assert person.family_normalised == "traore"
    assert person.name_key == "lamine mohamed traore"
    assert person.phone == "+22376123456"
    assert sorted(person.identifiers.values_list("type", "value_normalised")) == [
        ("phone", "+22376123456"),
        ("service_number", "M123456"),
    ]


@pytest.mark.django_db
def test_identifiers_are_unique_except_phones():
    first = person_create(
        given_names="Awa", family_name="Keïta", identifiers=[("nina", "11851234567001K")]
    )
    second = person_create(given_names="Fanta", family_name="Keïta", phone="76123456")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        identifier_add(person=second, id_type="nina", value="1 1 85 1234567 001 K")
    assert error.value.message_dict == {
        "identifiers": ["This identifier already belongs to another person."]
    }
    # a family shares a phone
    identifier_add(person=first, id_type="phone", value="+223 76 12 34 56")
    assert Identifier.objects.filter(type="phone", value_normalised="+22376123456").count() == 2
    # adding one's own identifier again is a no-op
    identifier_add(person=first, id_type="nina", value="11851234567001K")
    assert first.identifiers.count() == 2


@pytest.mark.django_db
def test_birth_year_in_the_future_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        person_create(
            given_names="Awa", family_name="Diarra", birth_year=datetime.date.today().year + 1
        )
    assert error.value.message_dict == {
        "birth_year": [f"The year of birth must be between 1900 and {datetime.date.today().year}."]
    }
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_search_by_name_words_and_identifier():
    awa = person_create(
        given_names="Awa", family_name="Traoré", identifiers=[("passport", "AA1234567")]
    )
    person_create(given_names="Moussa", family_name="Traoré")
    assert list(people_search(query="traore awa")) == [awa]
    assert list(people_search(query="aa 1234567")) == [awa]
    assert people_search(query="Traore").count() == 2


@pytest.mark.django_db
def test_account_links_to_the_person_with_the_same_names_and_email(make_user):
    existing = person_create(
        given_names="Aminata", family_name="Coulibaly", sex="F", email="aminata@example.org"
    )
    user = make_user(
        role="trainee", first_name="Aminata", last_name="COULIBALY", email="Aminata@example.org"
    )
    assert person_for_user(user=user) is None
    person = person_for_user_ensure(user=user)
    assert person == existing
    assert person.user == user
    decision = MatchDecision.objects.get(subject_user=user)
    assert (decision.outcome, decision.candidate, decision.person) == ("link", existing, existing)
    assert decision.reasons[-1]["code"] == "email_equal"
    # asking again changes nothing
    assert person_for_user_ensure(user=user) == existing
    assert person_for_user(user=user) == existing
    assert MatchDecision.objects.filter(subject_user=user).count() == 1


@pytest.mark.django_db
def test_account_with_the_same_names_only_goes_to_review(make_user):
    from trainees.review.models import ReviewPair

    existing = PersonFactory(given_names="Seydou", family_name="Bagayoko")
    user = make_user(role="trainee", first_name="Seydou", last_name="BAGAYOKO")
    person = person_for_user_ensure(user=user)
    assert person != existing
    assert person.user == user
    decision = MatchDecision.objects.get(subject_user=user)
    assert (decision.outcome, decision.candidate, decision.person) == ("review", existing, person)
    pair = ReviewPair.objects.get()
    assert {pair.person_a, pair.person_b} == {existing, person}


def _word(i: int, first: str) -> str:
    return first + "".join("bdgklmnrst"[int(d)] + "aeiou"[int(d) % 5] for d in f"{i:03d}")


@pytest.mark.django_db
def test_account_names_weigh_by_the_whole_registrys_name_frequencies(make_user):
    from trainees.imports.registry import registry_count_of_counts
    from trainees.matching.block import good_turing

    for i in range(40):  # 40 names carried once, 10 twice: a registry with a long tail
        person_create(given_names=_word(i, "Ka"), family_name=_word(i, "Lo"))
    for i in range(40, 50):
        for _ in range(2):
            person_create(given_names=_word(i, "Ka"), family_name=_word(i, "Lo"))
    assert registry_count_of_counts() == {1: 40, 2: 10}
    smoothed = good_turing(registry_count_of_counts())[1]
    assert smoothed == 2 * 10 / 40
    user = make_user(role="trainee", first_name=_word(7, "Ka"), last_name=_word(7, "Lo"))
    person_for_user_ensure(user=user)
    decision = MatchDecision.objects.get(subject_user=user)
    assert decision.model_label.startswith("priors-") and decision.model_version is None
    level, weight = decision.weights["weights"]["name"]
    assert level == "exact"
    # A name the registry holds once stands for Good-Turing's 0.5 people, not 1.
    assert weight == pytest.approx(math.log2(0.55 / (smoothed / 1000)), abs=0.01)


@pytest.mark.django_db
def test_account_without_a_match_gets_a_new_person(make_user):
    PersonFactory(given_names="Moussa", family_name="Sangaré")
    user = make_user(role="trainee", first_name="Fatoumata", last_name="Dembélé")
    person = person_for_user_ensure(user=user)
    assert (person.given_names, person.family_name, person.user) == ("Fatoumata", "Dembélé", user)
    assert MatchDecision.objects.get(subject_user=user).outcome == "new"


@pytest.mark.django_db
def test_merged_account_person_resolves_to_the_survivor(make_user):
    user = make_user(role="trainee", first_name="Oumou", last_name="Sidibé")
    person = person_for_user_ensure(user=user)
    survivor = PersonFactory()
    person.merged_into = survivor
    person.save()
    assert person_for_user(user=user) == survivor
    assert person_for_user_ensure(user=user) == survivor


@pytest.mark.django_db
def test_account_meets_the_person_a_roster_wrote_with_its_names(make_user):
    """Issue 11: a person is every record they were. The registry holds Oumou Sidibé; a
    roster wrote her by her married name, "Oumou Haïdara"; her account says "Oumou
    Haidara": compared with her roster row, not only with the name she was created with."""
    from trainees.imports.models import RosterImport, RosterRow
    from trainees.imports.registry import row_match_keys

    existing = PersonFactory(given_names="Oumou", family_name="Sidibé", sex="F")
    values = {"given_names": "Oumou", "family_name": "Haïdara", "sex": "F"}
    name_key, birth_year = row_match_keys(values)
    RosterRow.objects.create(
        roster_import=RosterImport.objects.create(file_name="gao.csv", status="confirmed"),
        row_number=1, values=values, action="link", person=existing, name_key=name_key,
        birth_year=birth_year,
    )  # fmt: skip
    user = make_user(role="trainee", first_name="Oumou", last_name="Haidara")
    person = person_for_user_ensure(user=user)
    decision = MatchDecision.objects.get(subject_user=user)
    assert (decision.outcome, decision.candidate) == ("review", existing)
    assert person.user == user and person != existing
