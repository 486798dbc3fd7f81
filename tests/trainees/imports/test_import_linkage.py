"""The import through the linkage model: model version and weights on every decision, pairs
inside one file queued, a model trained between preview and confirm used at confirm."""

from trainees.matching.model import LinkageModel
from trainees.models import LinkageModelVersion, MatchDecision
from trainees.review.models import ReviewPair

HEADER = "Nom;Prénom(s);Sexe;Date de naissance;Matricule;Téléphone;Résultat;Note\n"


def test_every_decision_records_the_model_and_each_weight(imported):
    imported(HEADER + "Keïta;Moussa;M;12/07/1985;;;présent;\n")
    roster_import = imported(HEADER + "KEITA;Moussa;M;12/07/1985;;;présent;\n", name="b.csv")
    decision = MatchDecision.objects.get(subject_ref__startswith=str(roster_import.public_id))
    assert decision.outcome == "link"
    assert decision.model_version is None  # nothing trained: the documented priors
    assert decision.model_label == LinkageModel().version
    assert decision.weights["weights"]["birth"] == ["exact", 13.11]
    assert decision.weights["weights"]["name"][0] == "exact"


def test_two_identical_rows_without_birth_date_are_queued(imported):
    roster_import = imported(HEADER + "Diarra;Salif;M;;;;présent;\nDiarra;Salif;M;;;;présent;\n")
    summary = roster_import.summary
    if summary["new"] == 2:  # doubtful: two people and a pair to review
        pair = ReviewPair.objects.get()
        assert pair.roster_import == roster_import and pair.status == "open"
        assert 0.2 <= pair.score < 0.95
    else:  # linked inside the file
        assert summary["same"] == 1


def test_a_model_trained_between_preview_and_confirm_decides_the_confirm(preview):
    from trainees.imports.services import roster_import_confirm

    roster_import = preview(HEADER + "Keïta;Moussa;M;12/07/1985;;;présent;\n")
    model = LinkageModel(returning=0.6)
    model.version = "m-test"
    row = LinkageModelVersion.objects.create(
        version="m-test", parameters=model.to_json(), is_current=True
    )
    roster_import = roster_import_confirm(roster_import=roster_import, user=None)
    assert roster_import.summary["rematched"] is True
    assert MatchDecision.objects.get().model_version == row
