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


def _word(i: int, first: str) -> str:
    return first + "".join("bdgklmnrst"[int(d)] + "aeiou"[int(d) % 5] for d in f"{i:03d}")


def test_an_untrained_registry_reads_u_of_sex_and_organisation_off_its_own_records(imported):
    from trainees.services.linkage import linkage_model_current, registry_value_shares

    header = "Nom;Prénom(s);Sexe;Date de naissance;Organisation;Résultat\n"
    rows = [
        f"{_word(i, 'Lo')};{_word(i, 'Ka')};{'M' if i < 24 else 'F'};12/07/{1960 + i};"
        f"{'FAMa' if i < 24 else 'Police nationale'};présent\n"
        for i in range(30)
    ]
    roster_import = imported(header + "".join(rows))
    assert roster_import.summary["new"] == 30
    shares = registry_value_shares()
    assert shares["sex"] == (0.8**2 + 0.2**2, 30)
    assert shares["organisation"][1] == 30
    assert abs(shares["organisation"][0] - (0.8**2 + 0.2**2)) < 1e-9
    model, row = linkage_model_current()
    assert row is None  # still the priors, their u read off the registry
    u = round(30 / 230 * 0.68 + 200 / 230 * 0.55, 2)
    assert model.parameters["sex"]["equal"] == (0.98, u)
    assert model.version != LinkageModel().version
    again = imported(header + f"{_word(3, 'Lo')};{_word(3, 'Ka')};M;12/07/1963;FAMa;présent\n")
    decision = MatchDecision.objects.get(subject_ref__startswith=str(again.public_id))
    assert decision.model_label == model.version  # the model the import decided with
    assert decision.outcome == "link"
