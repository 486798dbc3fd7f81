"""The preview names the file's own row numbers, as its table does."""

from trainees.review.reasons import reason_text

ROSTER = (
    "Nom;Prénom(s);Sexe;Date de naissance;Matricule;Téléphone;Résultat;Note\n"
    "Keïta;Moussa;M;12/07/1985;;;présent;\n"
    "TRAORÉ;Awa;F;25/03/1990;AB1234;76 12 34 56;réussi;85\n"
    "Traore;Awa;F;25/03/1990;AB 1234;;présent;\n"
)


def test_a_person_twice_in_the_file_is_named_by_the_rows_the_preview_shows(preview):
    from django.utils import translation

    roster_import = preview(ROSTER)
    rows = {row.row_number: row for row in roster_import.rows.all()}
    assert sorted(rows) == [2, 3, 4]
    reasons = [r for r in rows[4].reasons if r["code"] == "batch_duplicate"]
    assert reasons and reasons[0]["params"]["rows"] == [3, 4]
    with translation.override("fr"):
        assert reason_text(reasons[0]) == (
            "La même personne apparaît 2 fois dans ce fichier (lignes 3, 4)."
        )


def test_namesakes_of_a_row_with_a_birth_date_say_none_was_born_then():
    from django.utils import translation

    reason = {"code": "namesakes", "text": "", "params": {"count": 1, "born": True}}
    with translation.override("en"):
        assert reason_text(reason) == (
            "1 person in the registry has this name, but was not born when this person was."
        )
    reason["params"] = {"count": 3}
    with translation.override("en"):
        assert "nothing else (birth date" in reason_text(reason)


def test_plural_reasons_are_translated_in_french():
    from django.utils import translation

    with translation.override("fr"):
        one = reason_text({"code": "name_common", "text": "", "params": {"count": 1}})
        many = reason_text({"code": "namesakes", "text": "", "params": {"count": 3}})
    assert one.startswith("1 personne du registre porte ce nom")
    assert many.startswith("3 personnes du registre portent ce nom")
