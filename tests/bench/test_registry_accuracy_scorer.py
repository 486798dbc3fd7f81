"""The accuracy benchmark's scorer on a toy truth (the benchmark itself is not a test)."""

import pytest

from bench.registry_accuracy import components, exact_matcher, pairwise_scores, queue_scores


def test_pairwise_precision_recall_and_wrong_merges_on_a_toy_truth():
    # Rows of three true people: A four times, B twice, C once.
    truth = ["A", "A", "A", "A", "B", "B", "C"]
    # The matcher split A in two (2 + 2) and put C with B.
    predicted = [1, 1, 2, 2, 3, 3, 3]
    scores = pairwise_scores(truth, predicted)
    # True pairs: A 6 + B 1 = 7. Predicted pairs: 1 + 1 + 3 = 5, of which A-A twice and B-B once.
    assert scores["precision"] == pytest.approx(3 / 5)
    assert scores["recall"] == pytest.approx(3 / 7)
    assert scores["f1"] == pytest.approx(2 * (3 / 5) * (3 / 7) / (3 / 5 + 3 / 7))
    assert (scores["true_people"], scores["predicted_people"]) == (3, 3)
    assert scores["relative_error"] == 0
    assert scores["wrongly_merged"] == 1  # C merged into B's person


def test_a_perfect_and_an_empty_clustering():
    truth = ["A", "A", "B"]
    assert pairwise_scores(truth, ["x", "x", "y"])["f1"] == 1.0
    apart = pairwise_scores(truth, [1, 2, 3])
    assert (apart["precision"], apart["recall"], apart["predicted_people"]) == (1.0, 0.0, 3)
    assert apart["relative_error"] == pytest.approx(0.5)


def test_queue_shares_and_components():
    queue = queue_scores([(0.9, True), (0.8, True), (0.4, False), (0.3, True)])
    assert queue["queue"] == 4
    assert queue["queue_true_share"] == pytest.approx(0.75)
    assert queue["queue_upper_half_true_share"] == 1.0
    clusters = components(4, [(0, 1), (2, 3), (1, 0)])
    assert clusters[0] == clusters[1] != clusters[2] == clusters[3]
    rows = [
        {"given_names": "Awa", "family_name": "Traoré", "birth_date": None, "birth_year": 1990},
        {"given_names": "AWA", "family_name": "TRAORE", "birth_date": None, "birth_year": 1990},
    ]
    assert len(set(exact_matcher(rows))) == 1
