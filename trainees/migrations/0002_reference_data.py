"""Default programmes and the MDSF branches: reference data every installation needs."""

from django.db import migrations

PROGRAMMES = [
    # code, French, English, qualifying outcomes, order
    (
        "eod_iedd",
        "Neutralisation des engins explosifs (NEDEX / IEDD)",
        "Explosive ordnance disposal (EOD / IEDD)",
        ["completed", "passed"],
        10,
    ),
    (
        "wam",
        "Gestion des armes et des munitions",
        "Weapons and ammunition management",
        ["completed", "passed"],
        20,
    ),
    (
        "pre_deployment",
        "Atténuation de la menace explosive avant déploiement et en mission",
        "Pre-deployment and in-mission explosive-threat mitigation",
        ["completed", "passed"],
        30,
    ),
    (
        "hazard_awareness",
        "Sensibilisation aux dangers des engins explosifs (personnel humanitaire et chauffeurs)",
        "Explosive hazard awareness for humanitarian staff and drivers",
        ["attended", "completed", "passed"],
        40,
    ),
    (
        "risk_education",
        "Éducation aux risques des engins explosifs",
        "Explosive ordnance risk education",
        ["attended", "completed", "passed"],
        50,
    ),
]

MDSF_BRANCHES = [
    ("fama", "Forces armées maliennes", "Malian Armed Forces", "armed_forces"),
    ("gendarmerie", "Gendarmerie nationale", "National Gendarmerie", "gendarmerie"),
    ("garde-nationale", "Garde nationale", "National Guard", "national_guard"),
    ("police", "Police nationale", "National Police", "police"),
    ("protection-civile", "Protection civile", "Civil Protection", "civil_protection"),
]


def reference_data_create(apps, schema_editor):
    from trainees.matching.normalise import normalise_text

    Programme = apps.get_model("trainees", "Programme")
    Organisation = apps.get_model("trainees", "Organisation")
    for code, fr, en, outcomes, order in PROGRAMMES:
        Programme.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_en": en,
                "qualifying_outcomes": outcomes,
                "sort_order": order,
            },
        )
    for code, fr, en, category in MDSF_BRANCHES:
        Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_en": en,
                "name_normalised": normalise_text(fr),
                "category": category,
                "reporting_category": "mdsf",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("trainees", "0001_initial")]

    operations = [migrations.RunPython(reference_data_create, migrations.RunPython.noop)]
