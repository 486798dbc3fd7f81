# ruff: noqa: E501 - prose content reads better unwrapped
"""Demo course content in French and English: awareness level only, consistent with IMAS.

Written for this platform. It teaches recognise, do not touch, mark, report; it never gives
render-safe or disposal procedures, which are taught in person by qualified instructors.
Each entry is (French, English).
"""

PROGRAMMES = [
    (
        "eod",
        (
            "Neutralisation des engins explosifs (NEDex / IEDD)",
            "Explosive ordnance disposal (EOD / IEDD)",
        ),
        (
            "Formations NEDex des niveaux 1 à 3+ et IEDD, selon les NILAM 09.30 et 09.31.",
            "EOD training from level 1 to 3+ and IEDD, following IMAS 09.30 and 09.31.",
        ),
    ),
    (
        "ptm",
        (
            "Atténuation de la menace explosive (pré-déploiement et en mission)",
            "Explosive-threat mitigation (pre-deployment and in-mission)",
        ),
        (
            "Pour les contingents avant et pendant leur déploiement.",
            "For contingents before and during deployment.",
        ),
    ),
    (
        "wam",
        ("Gestion des armes et des munitions", "Weapons and ammunition management"),
        (
            "Stockage sûr, gestion des stocks et sécurité physique, selon les IATG.",
            "Safe storage, stockpile management and physical security, following the IATG.",
        ),
    ),
    (
        "hsa",
        (
            "Sensibilisation aux engins explosifs pour le personnel humanitaire",
            "Explosive hazard awareness for humanitarian staff",
        ),
        (
            "Pour le personnel humanitaire et les chauffeurs qui travaillent dans des zones contaminées.",
            "For humanitarian staff and drivers working in contaminated areas.",
        ),
    ),
    (
        "re",
        ("Éducation aux risques des engins explosifs", "Explosive ordnance risk education"),
        (
            "Sessions communautaires, souvent comptées par effectif.",
            "Community sessions, often counted by headcount.",
        ),
    ),
]

DNT = (
    "Ne touchez pas, ne déplacez pas, ne ramassez jamais un objet suspect.",
    "Never touch, move or pick up a suspect item.",
)


def check(fr_q, en_q, choices, kind="single"):
    """choices: list of ((fr, en), correct, (fr feedback, en feedback))."""
    return {"kind": kind, "q": (fr_q, en_q), "choices": choices}


def _courses() -> list[dict]:
    from . import (
        eod_awareness,
        humanitarian_staff_awareness,
        ied_threat_mitigation,
        wam_safe_storage,
    )

    return [
        eod_awareness.COURSE,
        ied_threat_mitigation.COURSE,
        wam_safe_storage.COURSE,
        humanitarian_staff_awareness.COURSE,
    ]


COURSES = _courses()
