"""Online accounts linked to the registry at the same moment: one person, one link.

Each thread has its own database connection. On PostgreSQL the two calls really overlap
(a barrier releases them together): the account row lock and the conditional claim of the
matching person decide. SQLite has one writer at a time (and its in-memory test database
answers "locked" rather than waiting), so there the two threads run one after the other
and the test asserts the same outcome for that serialised order.
"""

import threading

import pytest
from django.db import connection, connections

from tests.factories import UserFactory
from trainees.models import MatchDecision, Person
from trainees.review.models import ReviewPair
from trainees.services import person_create, person_for_user_ensure


def _together(*calls):
    """Run ``calls`` in threads with their own connections; their results, in order."""
    results: list = [None] * len(calls)
    errors: list = []
    overlap = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(calls))

    def run(i, call):
        try:
            if overlap:
                barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
        if not overlap:
            thread.join(timeout=60)
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_one_account_ensured_twice_at_once_gets_one_person():
    user = UserFactory(first_name="Awa", last_name="Traoré")
    first, second = _together(
        lambda: person_for_user_ensure(user=user), lambda: person_for_user_ensure(user=user)
    )
    assert first.pk == second.pk
    assert list(Person.objects.values_list("pk", "user_id")) == [(first.pk, user.pk)]
    assert MatchDecision.objects.filter(subject_user=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_accounts_matching_one_person_link_only_one():
    existing = person_create(
        given_names="Aminata", family_name="Coulibaly", email="aminata@example.org"
    )
    a = UserFactory(first_name="Aminata", last_name="COULIBALY", email="aminata@example.org")
    b = UserFactory(first_name="Aminata", last_name="Coulibaly", email="Aminata@example.org")
    person_a, person_b = _together(
        lambda: person_for_user_ensure(user=a), lambda: person_for_user_ensure(user=b)
    )
    existing.refresh_from_db()
    assert existing.user_id in (a.pk, b.pk)
    winner, loser = (a, b) if existing.user_id == a.pk else (b, a)
    won, lost = (person_a, person_b) if winner == a else (person_b, person_a)
    assert won.pk == existing.pk
    assert lost.pk != existing.pk and lost.user_id == loser.pk
    assert Person.objects.count() == 2
    assert Person.objects.filter(user__isnull=False).count() == 2
    outcomes = {
        d.subject_user_id: (d.outcome, d.candidate_id, d.reasons[-1]["code"])
        for d in MatchDecision.objects.all()
    }
    assert outcomes == {
        winner.pk: ("link", existing.pk, "email_equal"),
        loser.pk: ("review", existing.pk, "candidate_has_account"),
    }
    pair = ReviewPair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {existing.pk, lost.pk}
