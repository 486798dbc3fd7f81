"""Demo course: wam-safe-storage (French, English)."""

from . import DNT, check  # noqa: F401

COURSE = {
    "slug": "wam-safe-storage",
    "slug_fr": "gam-stockage-securise",
    "programme": "wam",
    "level": "wam",
    "minutes": 120,
    "validity": None,
    "title": ("Stockage sûr des munitions", "Safe storage of ammunition"),
    "summary": (
        "Les principes du stockage sûr et sécurisé des munitions, selon les Directives "
        "techniques internationales sur les munitions (IATG).",
        "Principles of safe and secure ammunition storage, following the International "
        "Ammunition Technical Guidelines (IATG).",
    ),
    "objectives": (
        "<ul><li>Expliquer les divisions de risque et groupes de compatibilité.</li><li>"
        "Appliquer les règles de base d'un dépôt.</li><li>Tenir la comptabilité des "
        "stocks.</li></ul>",
        "<ul><li>Explain hazard divisions and compatibility groups.</li><li>Apply the basic "
        "rules of a storage site.</li><li>Keep stock accounts.</li></ul>",
    ),
    "modules": [
        {
            "title": ("Classer les munitions", "Classifying ammunition"),
            "intro": (
                "Divisions de risque et groupes de compatibilité.",
                "Hazard divisions and compatibility groups.",
            ),
            "text": (
                "<p>Les munitions sont classées en divisions de risque (1.1 explosion en "
                "masse à 1.6) et en groupes de compatibilité (lettres A à S). Seules des "
                "munitions compatibles peuvent être stockées ensemble ; la division de "
                "risque détermine les distances de séparation.</p>",
                "<p>Ammunition is classified by hazard division (1.1 mass explosion to 1.6) "
                "and compatibility group (letters A to S). Only compatible ammunition may "
                "be stored together; the hazard division sets the separation "
                "distances.</p>",
            ),
            "checks": [
                check(
                    "La division de risque 1.1 désigne…",
                    "Hazard division 1.1 means…",
                    [
                        (
                            ("un risque d'explosion en masse", "a mass explosion hazard"),
                            True,
                            ("Exact.", "Right."),
                        ),
                        (
                            ("aucun risque", "no hazard"),
                            False,
                            (
                                "Non : c'est la division la plus dangereuse.",
                                "No: it is the most dangerous division.",
                            ),
                        ),
                    ],
                )
            ],
        },
        {
            "title": ("Règles du dépôt", "Storage site rules"),
            "intro": ("Prévenir l'accident et le vol.", "Preventing accidents and theft."),
            "text": (
                "<p>Aucune source d'ignition dans le dépôt ; température et humidité "
                "surveillées ; protection contre la foudre entretenue ; accès limité aux "
                "personnes autorisées ; clés tenues sous la règle des deux personnes.</p>",
                "<p>No ignition sources in the site; temperature and humidity monitored; "
                "lightning protection maintained; access limited to authorised people; keys "
                "held under the two-person rule.</p>",
            ),
            "warning": (
                "Une munition endommagée ou suspecte est isolée et signalée ; on ne la répare pas.",
                "Damaged or suspect ammunition is isolated and reported; it is not repaired.",
            ),
            "checks": [
                check(
                    "Qui peut entrer dans un dépôt de munitions ?",
                    "Who may enter an ammunition store?",
                    [
                        (
                            ("Les personnes autorisées uniquement", "Authorised people only"),
                            True,
                            ("Exact.", "Right."),
                        ),
                        (
                            ("Tout militaire", "Any soldier"),
                            False,
                            ("Non : l'accès est contrôlé.", "No: access is controlled."),
                        ),
                    ],
                )
            ],
        },
        {
            "title": ("Comptabilité et surveillance", "Accounting and surveillance"),
            "intro": (
                "Savoir ce qu'on a, et dans quel état.",
                "Knowing what you hold, and its condition.",
            ),
            "text": (
                "<p>Chaque entrée et sortie est enregistrée par lot. Des inventaires "
                "réguliers comparent le physique et les registres. On sort d'abord les lots "
                "les plus anciens et on surveille l'état des munitions pour détecter la "
                "dégradation.</p>",
                "<p>Every receipt and issue is recorded by lot. Regular stock checks compare "
                "physical stock with the records. Oldest lots are issued first and the "
                "condition of ammunition is monitored to detect deterioration.</p>",
            ),
            "checks": [],
        },
    ],
    "questions": [
        check(
            "Que détermine la division de risque ?",
            "What does the hazard division set?",
            [
                (("Les distances de séparation", "Separation distances"), True, ("", "")),
                (("La couleur des caisses", "The colour of boxes"), False, ("", "")),
            ],
        ),
        check(
            "Des munitions incompatibles…",
            "Incompatible ammunition…",
            [
                (("ne sont pas stockées ensemble", "is not stored together"), True, ("", "")),
                (
                    ("peuvent partager un bâtiment sans règle", "may share a building freely"),
                    False,
                    ("", ""),
                ),
            ],
        ),
        check(
            "La règle des deux personnes s'applique…",
            "The two-person rule applies to…",
            [
                (("aux clés et à l'accès", "keys and access"), True, ("", "")),
                (("aux pauses", "breaks"), False, ("", "")),
            ],
        ),
        check(
            "Une munition endommagée est…",
            "Damaged ammunition is…",
            [
                (("isolée et signalée", "isolated and reported"), True, ("", "")),
                (("réparée sur place", "repaired on site"), False, ("", "")),
            ],
        ),
        check(
            "Quels lots sortent en premier ?",
            "Which lots are issued first?",
            [
                (("Les plus anciens", "The oldest"), True, ("", "")),
                (("Les plus récents", "The newest"), False, ("", "")),
            ],
        ),
    ],
}
