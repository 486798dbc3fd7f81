"""The review queue worth reading: probability order, evidence in words and bits, the
model's expected count, "accept every pair above p" as one audited batch undone at once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation

from lms.core.models import AuditEvent
from tests.trainees.factories import PersonFactory
from tests.trainees.review.test_review_views import coordinator, url  # noqa: F401
from trainees.models import LinkageTrainingRun, MergeBatch, Person
from trainees.review.models import ReviewPair
from trainees.review.services import review_pair_propose

WEIGHTS = {
    "code": "model_weights",
    "text": "",
    "params": {
        "model": "priors-x",
        "prior": -10.0,
        "weights": {"name": ["variant", 7.2], "birth": ["exact", 13.1]},
    },
}


def propose(score, i):
    a = PersonFactory(given_names="Awa", family_name=f"Traoré{i}", sex="F")
    b = PersonFactory(given_names="Awa", family_name=f"Traore{i}", sex="F")
    return review_pair_propose(person_a=a, person_b=b, score=score, reasons=[WEIGHTS])


def live():
    return Person.objects.filter(merged_into__isnull=True).count()


def test_queue_is_sorted_by_probability_with_expected_count_and_evidence(client, coordinator):  # noqa: F811
    for i, score in enumerate([0.5, 0.9, 0.7]):
        propose(score, i)
    response = client.get(url("review_index"))
    page = response.context["page"]
    assert [p.score for p in page] == [0.9, 0.7, 0.5]
    assert response.context["queue"] == {"pairs": 3, "expected": 2.1}
    html = response.content.decode()
    assert "3 pairs are waiting; the model expects 2.1 of them to be the same person." in html
    assert page[0].evidence[0] == {
        "label": "Date of birth",
        "level": "the same date",
        "weight": 13.1,
    }
    with translation.override("fr"):
        response = client.get(url("review_index", language="fr"))
    assert "la même date" in response.content.decode()


def test_accept_above_merges_one_batch_and_undo_restores_every_count(client, coordinator):  # noqa: F811
    for i, score in enumerate([0.99, 0.96, 0.6]):
        propose(score, i)
    before = live()
    response = client.post(url("review_accept_above"), {"threshold": "0,95", "reason": "obvious"})
    assert response.status_code == 302
    batch = MergeBatch.objects.get()
    assert (batch.kind, batch.threshold, batch.merges_count) == ("accept_above", 0.95, 2)
    assert live() == before - 2
    assert ReviewPair.objects.filter(status="open").count() == 1
    assert AuditEvent.objects.filter(action="review.accept_above").count() == 1
    client.post(url("review_batch_undo", batch.pk), {"reason": "too fast"})
    assert live() == before
    assert ReviewPair.objects.filter(status="open").count() == 3
    batch.refresh_from_db()
    assert batch.undone_at is not None
    assert AuditEvent.objects.filter(action="review.batch_undo").count() == 1


def test_accept_above_refuses_a_wrong_probability(client, coordinator):  # noqa: F811
    propose(0.99, 0)
    response = client.post(url("review_accept_above"), {"threshold": "2"}, follow=True)
    assert "Give a probability between 0 and 1, for example 0.9." in response.content.decode()
    assert not MergeBatch.objects.exists()


@pytest.mark.django_db
def test_duplicate_scan_merges_the_link_band_as_one_batch_that_can_be_undone():
    birth = datetime.date(1988, 4, 12)
    PersonFactory(given_names="Mamadou", family_name="Keïta", sex="M", birth_date=birth)
    PersonFactory(given_names="Mamadou", family_name="Keita", sex="M", birth_date=birth)
    PersonFactory(given_names="Oumar", family_name="Touré", birth_date=birth)
    out = io.StringIO()
    call_command("duplicate_scan", stdout=out)
    assert "1 merged as one batch" in out.getvalue()
    batch = MergeBatch.objects.get(kind="scan")
    assert live() == 2
    from trainees.review.services import merge_batch_undo

    merge_batch_undo(batch=batch, user=None)
    assert live() == 3


@pytest.mark.django_db
def test_training_a_tiny_registry_keeps_the_priors_and_says_so():
    PersonFactory(given_names="Awa", family_name="Diallo")
    out = io.StringIO()
    call_command("linkage_train", stdout=out)
    run = LinkageTrainingRun.objects.get()
    assert run.status == "kept"
    assert "at least 400 are needed to learn" in out.getvalue()
    assert run.model_version is None


def test_learn_again_button_starts_training(client, coordinator):  # noqa: F811
    response = client.post(url("review_learn"), follow=True)
    assert response.status_code == 200
    assert LinkageTrainingRun.objects.exists()  # the test task backend runs at once
