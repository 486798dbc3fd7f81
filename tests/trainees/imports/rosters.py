"""Synthetic rosters (trainees/synthetic.py) written as the CSV files field
offices send: French headers, semicolons, dates as day/month/year."""

from __future__ import annotations

import csv
import io

HEADERS = [
    "Nom",
    "Prénom(s)",
    "Nom complet",
    "Sexe",
    "Date de naissance",
    "Année de naissance",
    "Matricule",
    "NINA",
    "Passeport",
    "Index ONU",
    "Téléphone",
    "Organisation",
]
_IDS = ["service_number", "nina", "passport", "un_index", "phone"]


def roster_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADERS)
    for row in rows:
        ids = row.get("identifiers") or {}
        birth = row.get("birth_date")
        writer.writerow(
            [
                row.get("family_name") or "",
                row.get("given_names") or "",
                row.get("full_name") or "",
                row.get("sex") or "",
                birth.strftime("%d/%m/%Y") if birth else "",
                row.get("birth_year") or "" if not birth else "",
                *(ids.get(t, "") for t in _IDS),
                row.get("organisation") or "",
            ]
        )
    return out.getvalue().encode("utf-8")


def registry_insert(rows: list[dict]) -> list:
    """Insert registry rows (``synthetic.registry_rows``) as people with identifiers, in bulk,
    with the core's normalised names. Returns the people in the order of ``rows``."""
    from trainees.matching import normalise_identifier
    from trainees.models import Identifier, Person
    from trainees.services import person_names_normalised

    people = []
    for row in rows:
        given = row["given_names"] or ""
        family = row["family_name"] or row["full_name"] or ""
        birth = row["birth_date"]
        people.append(
            Person(
                given_names=given,
                family_name=family,
                sex=row["sex"] or "",
                birth_date=birth,
                birth_year=birth.year if birth else row["birth_year"],
                **person_names_normalised(given_names=given, family_name=family),
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)
    seen, identifiers = set(), []
    for person, row in zip(people, rows, strict=True):
        for id_type, value in (row["identifiers"] or {}).items():
            canonical = normalise_identifier(id_type, value)
            if id_type != "phone" and (id_type, canonical) in seen:
                continue
            seen.add((id_type, canonical))
            identifiers.append(Identifier(person=person, type=id_type, value_normalised=canonical))
    Identifier.objects.bulk_create(identifiers, batch_size=5000)
    return people


def big_roster(n: int) -> bytes:
    """An ``n``-row roster of ``n`` different people, as a CSV file: made-up given and family
    names from syllables (a hundred families, so that few rows share a family name and a
    birth year and the preview stays quick), forty birth years, one phone each."""
    syllables = ("ba", "ko", "ma", "di", "sa", "fo", "ke", "lu", "ni", "to")
    lines = ["Nom;Prénom;Sexe;Année de naissance;Téléphone"]
    for i in range(n):
        given = "".join(syllables[int(d)] for d in f"{i:05d}").capitalize()
        family = "".join(syllables[int(d)] for d in f"{i % 100:02d}").capitalize() + "ra"
        lines.append(f"{family};{given};F;{1960 + (i // 100) % 40};7{i:07d}")
    return ("\n".join(lines) + "\n").encode()
