"""Roster *files* as field offices write them, from the synthetic generator's people.

:mod:`trainees.synthetic` makes people and their recordings (rows as plain dicts, with the
truth); this module writes those rows out as the CSV and Excel files trainers upload, with
every habit the import must read without a trainer's help (docs/matching.md, "Reading
rosters"):

* header spellings from the field ("N°", "Nom(s)", "Prénom(s) et Nom", "Sexe (M/F)",
  "Date naiss.", "Mle", "Grade/Fonction", "Corps/Structure", "Tél.", "Observation(s)",
  "Émargement"...), a title line above the header, sometimes a blank line;
* one column for the whole name, in either order, the family name often in capitals;
* a "Service" (or "Structure", "Unité") column holding the unit, never a service number;
* two-digit years (``06/04/71``), "vers 1981", "né en 1981", 01/01 and 31/12 placeholders;
* several phone numbers in one cell, with and without +223;
* rows with only one name; cells nobody can read ("illisible", "#REF!", "??");
* foreign national ID numbers with a country column for contingents and partners.

Each file comes with its truth (the generator's ``truth`` id of each data row) and the list
of cases it holds, so a benchmark can say which cases were read.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

from .synthetic import generate_rosters

__all__ = ["RosterFile", "roster_files"]

#: Header spellings per field, as seen on field rosters.
HEADERS: dict[str, tuple[str, ...]] = {
    "row_number": ("N°", "No", "N° d'ordre", "#", "Num"),
    "family_name": ("Nom", "NOM", "Nom(s)", "Nom de famille", "Noms"),
    "given_names": ("Prénom", "Prénom(s)", "PRENOMS", "Prenoms", "Prénoms"),
    "full_name_given_first": ("Prénom(s) et Nom", "Prénoms et nom", "PRENOM ET NOM"),
    "full_name_family_first": (
        "Nom et prénom(s)",
        "NOM ET PRENOMS",
        "Nom Prénom",
        "Noms et prénoms",
    ),
    "full_name_either": ("Nom complet", "Identité", "Participant", "Nom du participant"),
    "sex": ("Sexe", "Sexe (M/F)", "Genre", "S", "H/F", "SEXE"),
    "birth_date": (
        "Date de naissance",
        "Date naiss.",
        "Date/Année de naissance",
        "Né(e) le",
        "DATE DE NAISSANCE",
        "Date de naissance (jj/mm/aaaa)",
    ),
    "service_number": ("Matricule", "Mle", "N° Matricule", "MLE", "Mat."),
    "nina": ("NINA", "N° NINA", "Carte NINA"),
    "national_id": ("CNI", "National ID", "N° CNI", "Pièce d'identité"),
    "country": ("Pays", "Nationalité", "Country"),
    "un_index": ("Index ONU", "UN index"),
    "passport": ("Passeport", "N° passeport"),
    "phone": ("Téléphone", "Tél.", "Contact", "Tel", "N° Tél", "Contacts", "TELEPHONE"),
    "organisation": ("Corps", "Corps/Structure", "Organisation", "Institution", "Contingent"),
    "unit": ("Service", "Structure", "Unité", "SERVICE", "Unité/Service"),
    "rank": ("Grade", "Grade/Fonction", "Fonction", "GRADE"),
    "residence": ("Résidence", "Village", "Lieu de résidence", "Quartier"),
    "remarks": ("Observation", "Observations", "OBS", "Remarques"),
    "signature": ("Signature", "Émargement", "Emargement", "Visa"),
    # Columns the header table does not know (and should not guess): the trainer maps them.
    "other": (
        "Lieu de naissance",
        "Ethnie",
        "Niveau d'instruction",
        "Date d'arrivée",
        "Nom du père",
        "Situation matrimoniale",
    ),
}

_UNITS = ("Logistique", "Génie", "Transmissions", "Santé", "Administration", "1er Bataillon")
_RANKS = ("Sergent", "Caporal", "Lieutenant", "Adjudant", "Capitaine", "Soldat 1re classe")
_VILLAGES = ("Gao", "Sévaré", "Ménaka", "Ansongo", "Bourem", "Kidal", "Tombouctou", "Douentza")
_UNREADABLE = ("illisible", "#REF!", "??", "#VALEUR!", "xxxx-xx")
_COUNTRIES = {  # contingents whose members carry their own national ID card
    "Contingent du Tchad": ("Tchad", "TCD"),
    "Contingent du Niger": ("Niger", "NER"),
    "Contingent du Burkina Faso": ("Burkina Faso", "BFA"),
    "Contingent du Sénégal": ("Sénégal", "SEN"),
    "Contingent du Togo": ("Togo", "TGO"),
}


@dataclass
class RosterFile:
    name: str
    data: bytes
    truth: list[str]  # the generator's truth id of each data row, in order
    cases: set[str] = field(default_factory=set)  # the roster-format cases the file holds
    headers: list[str] = field(default_factory=list)


def _date_cell(rng: random.Random, row: dict, cases: set[str]) -> str:
    birth, year = row.get("birth_date"), row.get("birth_year")
    if birth is not None:
        if (birth.month, birth.day) in ((1, 1), (12, 31)):
            cases.add("placeholder_date")
        roll = rng.random()
        if roll < 0.12:
            cases.add("two_digit_year")
            return birth.strftime("%d/%m/%y")
        if roll < 0.16:
            cases.add("placeholder_date")
            return f"31/12/{birth.year}"
        return birth.strftime("%d/%m/%Y")
    if year is not None:
        cases.add("year_only")
        return rng.choice([str(year), f"vers {year}", f"né en {year}", f"Né vers {year}"])
    return ""


def _phone_cell(rng: random.Random, row: dict, cases: set[str]) -> str:
    phone = (row.get("identifiers") or {}).get("phone")
    if not phone:
        return ""
    if rng.random() < 0.12:
        cases.add("several_phones")
        other = f"{rng.choice('679')}{rng.randrange(10_000_000):07d}"
        other = other[:2] + " " + other[2:4] + " " + other[4:6] + " " + other[6:]
        return rng.choice([f"{phone} / {other}", f"{phone} - {other}", f"{phone}; +223 {other}"])
    return phone


def _name_cells(rng, row, layout: str, cases: set[str]) -> dict[str, str]:
    given = row.get("given_names") or ""
    family = row.get("family_name") or ""
    full = row.get("full_name") or ""
    if full and not (given or family):
        # The generator's "FAMILY Given" recording.
        family, _sep, given = full.partition(" ")
    if rng.random() < 0.03:
        cases.add("one_name")
        given = "" if rng.random() < 0.5 else given
        family = "" if given else family
    if layout == "split":
        return {"family_name": family, "given_names": given}
    cases.add("whole_name_column")
    if layout == "full_name_given_first":
        return {"full_name": " ".join(x for x in (given, family) if x)}
    family_shown = family.upper() if rng.random() < 0.7 else family
    return {"full_name": " ".join(x for x in (family_shown, given) if x)}


def _sex_cell(rng: random.Random, sex: str | None) -> str:
    if not sex:
        return ""
    words = {"F": ("F", "F", "Femme", "f", "Féminin"), "M": ("M", "M", "H", "Homme", "Masculin")}
    return rng.choice(words[sex])


def _write(rng, name, header_rows, rows, truth, cases, headers) -> RosterFile:
    fmt = rng.random()
    if fmt < 0.4:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for line in [*header_rows, headers, *rows]:
            sheet.append(line)
        out = io.BytesIO()
        workbook.save(out)
        return RosterFile(f"{name}.xlsx", out.getvalue(), truth, cases, headers)
    delimiter, encoding = (";", "cp1252") if fmt < 0.8 else (",", "utf-8-sig")
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for line in [*header_rows, headers, *rows]:
        writer.writerow(line)
    data = text.getvalue().encode(encoding, errors="replace")
    return RosterFile(f"{name}.csv", data, truth, cases, headers)


def roster_files(
    people: list[dict], n_rosters: int, rows_per_roster: int, seed: int = 0
) -> list[RosterFile]:
    """``n_rosters`` roster files of about ``rows_per_roster`` rows drawn from ``people``
    (the output of :func:`trainees.synthetic.generate_people`), each in an office's style."""
    rng = random.Random(seed)
    files = []
    recordings = generate_rosters(people, n_rosters, rows_per_roster, seed=seed)
    by_truth = {p["truth"]: p for p in people}
    for k, rows in enumerate(recordings):
        cases: set[str] = set()
        roll = rng.random()
        whole = ["full_name_given_first", "full_name_family_first", "full_name_either"]
        layout = "split" if roll < 0.55 else rng.choice(whole)
        columns = ["row_number"] if rng.random() < 0.7 else []
        columns += ["family_name", "given_names"] if layout == "split" else [layout]
        columns += ["sex", "birth_date"]
        categories = {by_truth[r["truth"]]["category"] for r in rows}
        contingent = "contingent" in categories and rng.random() < 0.6
        if "mdsf" in categories:
            columns.append("service_number")
        if rng.random() < 0.4:
            columns.append("nina")
        if contingent:
            columns += ["national_id", "country"]
            cases.add("foreign_national_id")
        columns += ["phone", "organisation"]
        if rng.random() < 0.5:
            columns.append("unit")
            cases.add("unit_column")
        if rng.random() < 0.5:
            columns.append("rank")
        if rng.random() < 0.3:
            columns.append("residence")
        if rng.random() < 0.5:
            columns.append("remarks")
        if rng.random() < 0.6:
            columns.append("signature")
        if rng.random() < 0.25:
            columns.append("other")
            cases.add("unknown_column")
        headers = [rng.choice(HEADERS[c]) for c in columns]
        cases.add("header_spellings")
        lines, truth = [], []
        for number, row in enumerate(rows, start=1):
            person = by_truth[row["truth"]]
            name_layout = "full_name_family_first" if layout == "full_name_either" else layout
            cells = _name_cells(rng, row, name_layout, cases)
            identifiers = row.get("identifiers") or {}
            values = {
                "row_number": str(number),
                "sex": _sex_cell(rng, row.get("sex")),
                "birth_date": _date_cell(rng, row, cases),
                "service_number": identifiers.get("service_number", ""),
                "nina": identifiers.get("nina", ""),
                "phone": _phone_cell(rng, row, cases),
                "organisation": row.get("organisation") or "",
                "unit": rng.choice(_UNITS),
                "rank": rng.choice(_RANKS) if person["category"] == "mdsf" else "",
                "residence": rng.choice(_VILLAGES),
                "remarks": "" if rng.random() < 0.9 else "RAS",
                "signature": "",
                "other": rng.choice(_VILLAGES),
                **cells,
            }
            for key in ("full_name_given_first", "full_name_family_first", "full_name_either"):
                values[key] = values.get("full_name", "")
            if contingent and person["organisation"] in _COUNTRIES and rng.random() < 0.8:
                country, code = _COUNTRIES[person["organisation"]]
                number_id = f"{int(person['truth'][1:]) * 7919 % 10_000_000:07d}"
                if rng.random() < 0.3:
                    values["national_id"], values["country"] = f"{code} {number_id}", ""
                else:
                    values["national_id"], values["country"] = number_id, country
            else:
                values["national_id"], values["country"] = "", ""
            if rng.random() < 0.02:
                target = rng.choice(["sex", "birth_date", "phone"])
                values[target] = rng.choice(_UNREADABLE)
                cases.add("unreadable_cell")
            lines.append([values[c] for c in columns])
            truth.append(row["truth"])
        header_rows = []
        if rng.random() < 0.5:
            header_rows.append([f"LISTE DE PRÉSENCE — Formation {k + 1}"])
            if rng.random() < 0.5:
                header_rows.append([])
        files.append(_write(rng, f"roster-{k + 1:03d}", header_rows, lines, truth, cases, headers))
    return files
