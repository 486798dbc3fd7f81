# ruff: noqa: E501 - prose content reads better unwrapped
"""Demo course: humanitarian-staff-awareness (French, English)."""

from . import DNT, check

COURSE = {
    "slug": "humanitarian-staff-awareness",
    "slug_fr": "sensibilisation-personnel-humanitaire",
    "programme": "hsa",
    "level": "awareness",
    "minutes": 60,
    "validity": 12,
    "title": (
        "Sensibilisation aux engins explosifs pour le personnel humanitaire et les chauffeurs",
        "Explosive hazard awareness for humanitarian staff and drivers",
    ),
    "summary": (
        "Se déplacer et travailler en sécurité dans une zone où des engins explosifs peuvent être présents.",
        "Travelling and working safely where explosive ordnance may be present.",
    ),
    "objectives": (
        "<ul><li>Préparer un déplacement.</li><li>Conduire en limitant le risque.</li>"
        "<li>Réagir si un véhicule entre dans une zone dangereuse.</li></ul>",
        "<ul><li>Prepare a journey.</li><li>Drive while limiting the risk.</li><li>React "
        "if a vehicle enters a hazardous area.</li></ul>",
    ),
    "modules": [
        {
            "title": ("Préparer le déplacement", "Preparing the journey"),
            "intro": ("L'information avant la route.", "Information before the road."),
            "text": (
                "<p>Consultez le point focal sécurité et les cartes de contamination à jour. "
                "Informez-vous auprès des populations et des autorités locales. Prévoyez un "
                "itinéraire et un horaire, et communiquez-les.</p>",
                "<p>Check with the security focal point and up-to-date contamination maps. "
                "Ask local people and authorities. Plan a route and timing, and share "
                "them.</p>",
            ),
            "checks": [],
        },
        {
            "title": ("Sur la route", "On the road"),
            "intro": ("Rester sur ce qui est fréquenté.", "Stay on what is used."),
            "text": (
                "<p>Restez sur les routes revêtues ou très fréquentées ; ne roulez pas sur "
                "les bas-côtés ; ne faites pas demi-tour en sortant de la chaussée ; ne "
                "dépassez pas par l'accotement. Pour les pauses, arrêtez-vous sur la "
                "chaussée ou des zones clairement utilisées.</p>",
                "<p>Stay on paved or well-used roads; do not drive on the verges; do not "
                "turn around by leaving the road; do not overtake on the shoulder. For "
                "breaks, stop on the road or clearly used areas.</p>",
            ),
            "warning": DNT,
            "checks": [
                check(
                    "Pour faire demi-tour sur une piste étroite, vous…",
                    "To turn around on a narrow track, you…",
                    [
                        (
                            (
                                "restez sur la piste et manœuvrez sur place",
                                "stay on the track and manoeuvre in place",
                            ),
                            True,
                            ("Exact.", "Right."),
                        ),
                        (
                            ("sortez sur le bas-côté", "pull onto the verge"),
                            False,
                            (
                                "Non : les bas-côtés sont les plus à risque.",
                                "No: verges carry the most risk.",
                            ),
                        ),
                    ],
                )
            ],
        },
        {
            "title": (
                "Si le véhicule entre dans une zone dangereuse",
                "If the vehicle enters a hazardous area",
            ),
            "intro": ("Arrêter, rester, appeler.", "Stop, stay, call."),
            "text": (
                "<p>Le plus sûr est souvent de rester dans le véhicule et d'appeler de l'aide.</p>",
                "<p>The safest option is often to stay in the vehicle and call for help.</p>",
            ),
            "procedure": (
                ("Conduite à tenir", "What to do"),
                [
                    (
                        "Arrêtez le véhicule ; ne faites pas de manœuvre.",
                        "Stop the vehicle; do not manoeuvre.",
                    ),
                    (
                        "Restez à bord et appelez votre point focal sécurité.",
                        "Stay inside and call your security focal point.",
                    ),
                    (
                        "Si vous devez sortir, ne marchez que dans vos propres traces de pneus.",
                        "If you must get out, walk only in your own tyre tracks.",
                    ),
                    ("Attendez l'équipe spécialisée.", "Wait for the specialised team."),
                ],
            ),
            "checks": [
                check(
                    "Votre véhicule s'arrête dans une zone marquée « Danger mines ». Que faites-vous ?",
                    "Your vehicle stops in an area marked “Danger mines”. What do you do?",
                    [
                        (
                            ("Je reste à bord et j'appelle", "I stay inside and call"),
                            True,
                            ("Exact.", "Right."),
                        ),
                        (
                            ("Je sors chercher de l'aide à pied", "I walk off to find help"),
                            False,
                            (
                                "Non : vous risquez de marcher sur un engin.",
                                "No: you could step on an item.",
                            ),
                        ),
                    ],
                )
            ],
        },
    ],
    "questions": [
        check(
            "Où rouler pour limiter le risque ?",
            "Where should you drive to limit the risk?",
            [
                (
                    (
                        "Sur les routes revêtues ou très fréquentées",
                        "On paved or well-used roads",
                    ),
                    True,
                    ("", ""),
                ),
                (("Sur les bas-côtés", "On the verges"), False, ("", "")),
            ],
        ),
        check(
            "Avant un déplacement, vous consultez…",
            "Before a journey, you check with…",
            [
                (("le point focal sécurité", "the security focal point"), True, ("", "")),
                (("personne", "nobody"), False, ("", "")),
            ],
        ),
        check(
            "Si vous devez sortir du véhicule en zone dangereuse…",
            "If you must leave the vehicle in a hazardous area…",
            [
                (
                    ("marchez dans vos traces de pneus", "walk in your tyre tracks"),
                    True,
                    ("", ""),
                ),
                (("prenez le chemin le plus court", "take the shortest way"), False, ("", "")),
            ],
        ),
        check(
            "Un objet suspect au bord de la route…",
            "A suspect object by the road…",
            [
                (
                    ("se signale sans s'approcher", "is reported without going closer"),
                    True,
                    ("", ""),
                ),
                (("se photographie de près", "is photographed close up"), False, ("", "")),
            ],
        ),
    ],
}
