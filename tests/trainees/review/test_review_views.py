import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from lms.core.models import AuditEvent
from tests.factories import UserFactory, totp_enable
from tests.trainees.factories import ParticipationFactory, PersonFactory
from trainees.models import Person
from trainees.review.models import Merge, ReviewPair
from trainees.review.services import review_pair_propose
from trainees.services import identifier_add


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def coordinator(client, db):
    user = UserFactory(role="coordinator")
    totp_enable(user)
    client.force_login(user)
    return user


def pairs(n):
    made = []
    for i in range(n):
        a = PersonFactory(given_names="Awa", family_name=f"Traoré{i}", sex="F")
        b = PersonFactory(given_names="Awa", family_name=f"Traore{i}", sex="F")
        ParticipationFactory(person=a)
        identifier_add(person=b, id_type="phone", value="76123456")
        made.append(
            review_pair_propose(
                person_a=a,
                person_b=b,
                score=0.8,
                reasons=[{"code": "name_variant", "text": "", "params": {"pairs": ["traore"]}}],
            )
        )
    return made


def test_only_coordinators_review(client, db):
    trainer = UserFactory(role="trainer")
    totp_enable(trainer)
    client.force_login(trainer)
    assert client.get(url("review_index")).status_code == 403
    assert client.post(url("review_decide"), {"single": "1:same"}).status_code == 403


def test_queue_shows_both_people_side_by_side_in_few_queries(
    client, coordinator, django_assert_max_num_queries
):
    pairs(15)
    with django_assert_max_num_queries(19):  # + the queue's Σp, the model, the last run
        page = client.get(url("review_index"))
    text = page.content.decode()
    assert text.count('class="person-card"') == 30
    assert "Spelling variants of the same name: traore." in text
    assert "People in the registry: 30." in text
    french = client.get(url("review_index", language="fr")).content.decode()
    assert "Variantes d&#x27;orthographe du même nom\u202f: traore." in french
    assert AuditEvent.objects.filter(action="review.view").count() == 2


def test_merge_from_the_queue_restates_the_count_and_can_be_undone(client, coordinator):
    pair = pairs(1)[0]
    response = client.post(
        url("review_decide"), {"single": f"{pair.pk}:same", "reason": "Same person, 2 rosters"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 pair decided. People in the registry: 1 (before: 2)." in page
    merge = Merge.objects.get()
    assert merge.reason == "Same person, 2 rosters"
    undo = client.post(url("review_merge_undo", merge.pk), {"reason": "mistake"})
    page = client.get(undo["Location"]).content.decode()
    assert "Merge undone. People in the registry: 2 (before: 1)." in page
    assert Person.objects.filter(merged_into__isnull=True).count() == 2


def test_bulk_different_people(client, coordinator):
    made = pairs(3)
    response = client.post(
        url("review_decide"),
        {"decision": "different", "pairs": [p.pk for p in made[:2]], "reason": "cousins"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "2 pairs decided. People in the registry: 6 (before: 6)." in page
    assert sorted(ReviewPair.objects.values_list("status", flat=True)) == [
        "different",
        "different",
        "open",
    ]


def test_duplicate_scan_command_proposes_pairs_once_and_never_judged_different(db):
    birth = datetime.date(1988, 4, 12)
    a = PersonFactory(given_names="Mamadou", family_name="Keïta", birth_date=birth)
    PersonFactory(given_names="Mamadou", family_name="Keita", birth_date=birth)
    c = PersonFactory(
        given_names="Fatoumata", family_name="Diarra", sex="F", birth_date=datetime.date(1990, 2, 3)
    )
    PersonFactory(
        given_names="Fatoumata", family_name="Diara", sex="F", birth_date=datetime.date(1990, 2, 3)
    )
    PersonFactory(given_names="Oumar", family_name="Touré", birth_date=birth)
    PersonFactory(given_names="Oumar", family_name="Traoré", birth_date=birth)
    out = io.StringIO()
    call_command("duplicate_scan", "--no-merge", stdout=out)
    assert "Scanned 6 people" in out.getvalue()
    assert "2 new candidate pairs to review (model priors-" in out.getvalue()
    found = {
        frozenset((p.person_a.family_name, p.person_b.family_name))
        for p in ReviewPair.objects.all()
    }
    assert found == {frozenset(("Keïta", "Keita")), frozenset(("Diarra", "Diara"))}
    ReviewPair.objects.filter(person_a=min(a, c, key=lambda p: p.pk)).update(status="different")
    ReviewPair.objects.filter(person_a=a).update(status="different")
    out = io.StringIO()
    call_command("duplicate_scan", "--no-merge", stdout=out)
    assert "0 new candidate pairs to review (model " in out.getvalue()


def test_scan_button_runs_the_scan(client, coordinator):
    birth = datetime.date(1988, 4, 12)
    PersonFactory(given_names="Mamadou", family_name="Keïta", birth_date=birth)
    PersonFactory(given_names="Mamadou", family_name="Keita", birth_date=birth)
    response = client.post(url("review_scan"))
    assert response.status_code == 302
    assert ReviewPair.objects.count() == 1
    assert AuditEvent.objects.filter(action="registry.duplicate_scan").count() == 1
