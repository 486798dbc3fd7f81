"""Demo registry: organisations, places, a few thousand synthetic people and their training.

Realistic on purpose: Malian names with the recording variation of real rosters (from the
synthetic generator used by the matching tests), people attending several activities across
field offices and years 2019-2026, so the gap between rows (participations) and people shows
on every report. Idempotent: fixed seeds, and every row has a natural key (public ids are
uuid5 of a demo key), so running it twice changes nothing.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from lms.xapi.emitter import statements_emit_many
from trainees.models import (
    AggregateSession,
    Identifier,
    Participation,
    Person,
    Programme,
    TrainingEvent,
)
from trainees.services import (
    aggregate_session_record,
    organisation_ensure,
    participation_statement,
    person_names_normalised,
    place_ensure,
)

DEMO_NAMESPACE = uuid.UUID("3d1b6f0e-8a52-4f7e-b1a4-2c9e5d7f6a10")
PEOPLE = 2500
EVENTS = 260
SESSIONS = 40
SEED = 2026

# (synthetic organisation name, code, category, English name)
ORGANISATIONS = [
    ("Forces Armées Maliennes", "fama", "armed_forces", "Malian Armed Forces"),
    ("Gendarmerie nationale", "gendarmerie", "gendarmerie", "National Gendarmerie"),
    ("Garde nationale", "garde-nationale", "national_guard", "National Guard"),
    ("Police nationale", "police", "police", "National Police"),
    ("Protection civile", "protection-civile", "civil_protection", "Civil Protection"),
    ("Contingent du Tchad", "contingent-tchad", "peacekeeping_contingent", "Chad contingent"),
    ("Contingent du Niger", "contingent-niger", "peacekeeping_contingent", "Niger contingent"),
    (
        "Contingent du Burkina Faso",
        "contingent-burkina-faso",
        "peacekeeping_contingent",
        "Burkina Faso contingent",
    ),
    (
        "Contingent du Sénégal",
        "contingent-senegal",
        "peacekeeping_contingent",
        "Senegal contingent",
    ),
    ("Contingent du Togo", "contingent-togo", "peacekeeping_contingent", "Togo contingent"),
    ("Humanity & Inclusion", "humanity-inclusion", "ngo", "Humanity & Inclusion"),
    ("Danish Refugee Council", "danish-refugee-council", "ngo", "Danish Refugee Council"),
    ("Mines Advisory Group", "mines-advisory-group", "ngo", "Mines Advisory Group"),
    ("Croix-Rouge malienne", "croix-rouge-malienne", "ngo", "Malian Red Cross"),
    ("AMSS", "amss", "civil_society", "AMSS"),
    ("Chauffeurs UNMAS", "chauffeurs-unmas", "driver", "UNMAS drivers"),
    ("Communauté de Gao", "communaute-gao", "community", "Gao community"),
    ("Communauté de Mopti", "communaute-mopti", "community", "Mopti community"),
]

# field office code -> (region, [cercles/communes], (lat, lon))
PLACES = {
    "bamako": ("District de Bamako", ["Commune III", "Commune VI"], (12.6392, -8.0029)),
    "gao": ("Région de Gao", ["Ansongo", "Bourem", "Ménaka"], (16.2666, -0.0400)),
    "kidal": ("Région de Kidal", ["Anéfis", "Aguelhok"], (18.4411, 1.4078)),
    "mopti": ("Région de Mopti", ["Sévaré", "Bandiagara", "Djenné"], (14.4843, -4.1827)),
    "tessalit": ("Cercle de Tessalit", ["Amachach"], (20.2010, 1.0110)),
    "timbuktu": ("Région de Tombouctou", ["Goundam", "Diré"], (16.7666, -3.0026)),
}

# what each group of people is trained in: (programme code, event kind, outcomes to draw from)
TRAINING = {
    "mdsf": [
        ("eod_iedd", "course", ["passed", "passed", "passed", "failed", "attended"]),
        ("wam", "course", ["completed", "completed", "attended"]),
        ("eod_iedd", "practical", ["passed", "failed"]),
    ],
    "contingent": [("pre_deployment", "course", ["completed", "completed", "attended"])],
    "ngo": [("hazard_awareness", "briefing", ["attended"])],
    "drivers": [("hazard_awareness", "briefing", ["attended"])],
    "community": [("risk_education", "risk_education", ["attended"])],
}
TITLES = {
    "eod_iedd": "NEDEX niveau {level}",
    "wam": "Gestion des armes et munitions",
    "pre_deployment": "Formation pré-déploiement",
    "hazard_awareness": "Sensibilisation aux engins explosifs",
    "risk_education": "Éducation aux risques",
}


def _demo_uuid(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, key)


def _synthetic_people(n: int, seed: int) -> list[dict]:
    # The generator lives with the matching tests, where its truth is checked; the demo
    # reuses it rather than keeping a second copy of the name tables.
    from trainees.synthetic import generate_people

    return generate_people(n, seed=seed)


def demo_organisations() -> dict:
    return {
        source: organisation_ensure(name_fr=source, name_en=en, code=code, category=category)
        for source, code, category, en in ORGANISATIONS
    }


def demo_places(offices: dict) -> dict:
    """The region (or cercle) of each field office, with a few communes below it."""
    places = {}
    for code, (region, communes, (lat, lon)) in PLACES.items():
        office = offices.get(code)
        top = place_ensure(
            name=region, kind="region", field_office=office, latitude=lat, longitude=lon
        )
        places[code] = [top] + [
            place_ensure(name=name, kind="commune", parent=top, field_office=office)
            for name in communes
        ]
    return places


def demo_people(n: int | None = None, seed: int = SEED) -> list[tuple[dict, Person]]:
    """Synthetic people as registry people, created in bulk; existing ones are kept."""
    synthetic = _synthetic_people(n or PEOPLE, seed)
    ids = {p["truth"]: _demo_uuid(f"person:{p['truth']}") for p in synthetic}
    existing = set(
        Person.objects.filter(public_id__in=ids.values()).values_list("public_id", flat=True)
    )
    new = []
    for p in synthetic:
        if ids[p["truth"]] in existing:
            continue
        new.append(
            Person(
                public_id=ids[p["truth"]],
                given_names=p["given_names"],
                family_name=p["family_name"],
                sex=p["sex"],
                birth_date=p["birth_date"],
                birth_year=p["birth_year"],
                phone=p["identifiers"].get("phone", ""),
                **person_names_normalised(
                    given_names=p["given_names"], family_name=p["family_name"]
                ),
            )
        )
    Person.objects.bulk_create(new, batch_size=500)
    people = {p.public_id: p for p in Person.objects.filter(public_id__in=ids.values())}
    if new:
        created = {p.public_id for p in new}
        identifiers = [
            Identifier(
                person=people[ids[p["truth"]]],
                type=id_type,
                value_normalised=value,
                value_as_recorded=value,
            )
            for p in synthetic
            if ids[p["truth"]] in created
            for id_type, value in p["identifiers"].items()
        ]
        Identifier.objects.bulk_create(identifiers, batch_size=1000, ignore_conflicts=True)
    return [(p, people[ids[p["truth"]]]) for p in synthetic]


def _group(category: str) -> str:
    return {"drivers": "drivers"}.get(category, category)


def demo_training(people, organisations, places, offices, trainers) -> int:
    """Training events 2019-2026 with their participations and statements; returns how many
    participations were created now."""
    rng = random.Random(SEED)
    programmes = {p.code: p for p in Programme.objects.all()}
    by_group: dict[str, list] = {}
    for synthetic, person in people:
        by_group.setdefault(_group(synthetic["category"]), []).append((synthetic, person))
    groups = sorted(by_group)
    weights = [len(by_group[g]) for g in groups]
    today = timezone.localdate()
    first = date(2019, 1, 7)
    span = (min(today, date(2026, 10, 31)) - first).days
    office_codes = sorted(places)
    participations = []
    existing = set(
        Participation.objects.filter(
            event__public_id__in=[_demo_uuid(f"event:{i}") for i in range(EVENTS)]
        ).values_list("event__public_id", "person_id")
    )
    for i in range(EVENTS):
        group = rng.choices(groups, weights=weights)[0]
        programme_code, kind, outcomes = rng.choice(TRAINING[group])
        office_code = rng.choice(office_codes)
        place = rng.choice(places[office_code])
        start = first + timedelta(days=rng.randrange(span))
        length = {"course": 5, "practical": 3}.get(kind, 1)
        level = rng.choice([1, 2, 3])
        funding = rng.choice(["UNMAS", "Union européenne", "Japon", "Pays-Bas"])
        public_id = _demo_uuid(f"event:{i}")
        event = TrainingEvent.objects.filter(public_id=public_id).first()
        if event is None:
            event = TrainingEvent.objects.create(
                public_id=public_id,
                title=TITLES[programme_code].format(level=level) + f" – {place.name} {start:%m/%Y}",
                programme=programmes[programme_code],
                kind=kind,
                place=place,
                field_office=offices.get(office_code),
                start_date=start,
                end_date=start + timedelta(days=length - 1),
                funding_source=funding,
            )
            trainer = trainers.get(office_code)
            if trainer is not None:
                event.trainers.add(trainer)
        # A small pool per office and group, so the same people come back to several events.
        pool = by_group[group]
        pool_start = (office_codes.index(office_code) * len(pool)) // len(office_codes)
        local = pool[pool_start : pool_start + max(40, len(pool) // len(office_codes))] or pool
        size = min(len(local), rng.randint(10, 28))
        for synthetic, person in rng.sample(local, size):
            outcome = rng.choice(outcomes)
            score = round(rng.uniform(50, 100), 1) if outcome in ("passed", "failed") else None
            if (public_id, person.pk) in existing:
                continue
            participation = Participation(
                public_id=_demo_uuid(f"participation:{i}:{synthetic['truth']}"),
                person=person,
                event=event,
                outcome=outcome,
                score=score,
                date=event.end_date,
                organisation=organisations.get(synthetic["organisation"]),
                source="roster",
                source_file=f"demo-{i:03d}.xlsx",
                source_row=len(participations) + 2,
                programme_id=event.programme_id,
                kind=event.kind,
                place_id=event.place_id,
                field_office_id=event.field_office_id,
            )
            participation.event = event
            participations.append(participation)
    for start in range(0, len(participations), 1000):
        chunk = participations[start : start + 1000]
        ids = statements_emit_many([participation_statement(p) for p in chunk])
        for participation, statement_id in zip(chunk, ids, strict=True):
            participation.statement_id = statement_id
        Participation.objects.bulk_create(chunk, ignore_conflicts=True)
    return len(participations)


def demo_sessions(places, offices) -> int:
    rng = random.Random(SEED + 1)
    programme = Programme.objects.get(code="risk_education")
    created = 0
    for i in range(SESSIONS):
        office_code = rng.choice(sorted(places))
        place = rng.choice(places[office_code])
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(2850))
        title = f"Causerie éducative {i + 1} – {place.name}"
        kind = rng.choice(["risk_education", "risk_education", "briefing", "radio"])
        counts = {}
        for sex in ("F", "M"):
            for band, high in (("0_4", 5), ("5_12", 60), ("13_17", 40), ("18_24", 30)):
                counts[(sex, band)] = rng.randint(0, high)
            counts[(sex, "25_59")] = rng.randint(10, 80)
            counts[(sex, "60_plus")] = rng.randint(0, 15)
        # Draw everything first, so the random sequence is the same on every run.
        if AggregateSession.objects.filter(title=title, date=day).exists():
            continue
        aggregate_session_record(
            title=title,
            programme=programme,
            kind=kind,
            date=day,
            counts=counts,
            age_scheme="fine",
            place=place,
            field_office=offices.get(office_code),
        )
        created += 1
    return created


def _demo_trainers() -> dict:
    """A trainer of each office (the demo's trainer accounts), to sign events."""
    from lms.accounts.models import User

    trainers = {}
    for user in User.objects.filter(groups__name="trainer").prefetch_related("field_offices"):
        for office in user.field_offices.all():
            trainers.setdefault(office.code, user)
    return trainers


def demo_registry(offices: dict, *, trainers: dict | None = None) -> list[str]:
    """Load the demo registry (idempotent); returns lines for the command's output."""
    trainers = _demo_trainers() if trainers is None else trainers
    with transaction.atomic():
        organisations = demo_organisations()
        places = demo_places(offices)
        people = demo_people()
        added = demo_training(people, organisations, places, offices, trainers)
        sessions = demo_sessions(places, offices)
    total_people = Person.objects.count()
    total_rows = Participation.objects.count()
    return [
        f"Registry: {total_people} people, {total_rows} participations "
        f"({added} and {sessions} aggregate sessions added now).",
    ]
