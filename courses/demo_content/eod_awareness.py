# ruff: noqa: E501 - prose content reads better unwrapped
"""Demo course: eod-awareness (French, English)."""

from . import DNT, check

COURSE = {
    "slug": "eod-awareness",
    "slug_fr": "sensibilisation-nedex",
    "programme": "eod",
    "level": "awareness",
    "minutes": 90,
    "validity": 24,
    "title": (
        "Sensibilisation aux engins explosifs (NEDex)",
        "Explosive ordnance awareness (EOD)",
    ),
    "summary": (
        "Reconnaître les engins explosifs, ne pas les toucher, baliser et signaler : "
        "la base de toute formation NEDex.",
        "Recognise explosive ordnance, do not touch it, mark and report: the basis of all "
        "EOD training.",
    ),
    "objectives": (
        "<ul><li>Nommer les grandes familles d'engins explosifs.</li><li>Reconnaître les "
        "signes d'une zone dangereuse.</li><li>Appliquer la conduite à tenir : ne pas "
        "toucher, baliser, signaler.</li></ul>",
        "<ul><li>Name the main families of explosive ordnance.</li><li>Recognise the signs "
        "of a hazardous area.</li><li>Apply the safe behaviour: do not touch, mark, "
        "report.</li></ul>",
    ),
    "modules": [
        {
            "title": ("Les familles d'engins explosifs", "Families of explosive ordnance"),
            "intro": (
                "Ce que recouvre le terme « engin explosif ».",
                "What the term “explosive ordnance” covers.",
            ),
            "text": (
                "<p>Les engins explosifs comprennent les mines antipersonnel et antivéhicule, "
                "les restes explosifs de guerre (munitions non explosées et munitions "
                "abandonnées), les sous-munitions et les engins explosifs improvisés (EEI).</p>"
                "<p>Un engin ancien, rouillé ou partiellement enterré reste dangereux : "
                "l'âge ne rend pas une munition sûre, il peut au contraire la rendre plus "
                "sensible.</p>",
                "<p>Explosive ordnance includes anti-personnel and anti-vehicle mines, "
                "explosive remnants of war (unexploded and abandoned ordnance), submunitions "
                "and improvised explosive devices (IEDs).</p><p>An old, rusty or partly "
                "buried item is still dangerous: age does not make ammunition safe, it can "
                "make it more sensitive.</p>",
            ),
            "warning": DNT,
            "checks": [
                check(
                    "Une munition rouillée trouvée dans un champ est-elle sans danger ?",
                    "Is a rusty munition found in a field safe?",
                    [
                        (
                            (
                                "Oui, elle est trop vieille pour fonctionner",
                                "Yes, it is too old to work",
                            ),
                            False,
                            (
                                "Non : l'âge peut rendre un engin plus sensible.",
                                "No: age can make an item more sensitive.",
                            ),
                        ),
                        (
                            ("Non, elle reste dangereuse", "No, it is still dangerous"),
                            True,
                            (
                                "Exact : tout engin trouvé est considéré comme dangereux.",
                                "Right: every item found is treated as dangerous.",
                            ),
                        ),
                    ],
                )
            ],
        },
        {
            "title": ("Reconnaître une zone dangereuse", "Recognising a hazardous area"),
            "intro": ("Les signes qui doivent vous arrêter.", "The signs that must stop you."),
            "text": (
                "<p>Signes officiels : panneaux rouges triangulaires « Danger mines », "
                "rubalise, piquets peints. Signes locaux : tas de pierres, branches croisées, "
                "herbe haute dans un champ cultivé tout autour, sentier abandonné.</p>"
                "<p>D'autres indices : cratères, débris militaires, anciennes positions "
                "défensives, carcasses de véhicules, animaux morts.</p>",
                "<p>Official signs: red triangular “Danger mines” signs, tape, painted "
                "pickets. Local signs: piles of stones, crossed sticks, tall grass in an "
                "otherwise farmed field, an abandoned path.</p><p>Other clues: craters, "
                "military debris, former defensive positions, vehicle wrecks, dead "
                "animals.</p>",
            ),
            "checks": [
                check(
                    "Lesquels de ces signes indiquent une zone peut-être dangereuse ?",
                    "Which of these signs point to a possibly hazardous area?",
                    [
                        (
                            (
                                "Des branches croisées au bord d'un sentier",
                                "Crossed sticks beside a path",
                            ),
                            True,
                            (
                                "Oui : c'est un marquage local fréquent.",
                                "Yes: a common local marking.",
                            ),
                        ),
                        (
                            ("Un ancien cratère", "An old crater"),
                            True,
                            (
                                "Oui : il signale des combats passés.",
                                "Yes: it shows past fighting.",
                            ),
                        ),
                        (
                            (
                                "Un champ récemment labouré et fréquenté",
                                "A recently ploughed, busy field",
                            ),
                            False,
                            (
                                "Un usage régulier est plutôt rassurant, sans être une garantie.",
                                "Regular use is rather reassuring, though not a guarantee.",
                            ),
                        ),
                    ],
                    kind="multiple",
                )
            ],
        },
        {
            "title": (
                "Conduite à tenir : ne pas toucher, baliser, signaler",
                "What to do: do not touch, mark, report",
            ),
            "intro": ("Les gestes qui sauvent.", "The actions that save lives."),
            "text": (
                "<p>Si vous voyez un engin : arrêtez-vous, ne vous approchez pas, prévenez "
                "les personnes autour, repartez par le chemin emprunté à l'aller.</p>",
                "<p>If you see an item: stop, do not go closer, warn the people around, and "
                "leave by the way you came in.</p>",
            ),
            "procedure": (
                ("Signaler un engin", "Reporting an item"),
                [
                    ("Arrêtez-vous et ne bougez plus.", "Stop and stand still."),
                    (
                        "Retournez sur vos pas, sur une surface où vous êtes déjà passé.",
                        "Step back along your own footprints, on ground you have already crossed.",
                    ),
                    (
                        "Baliser sans entrer dans la zone : un repère visible à distance, sur le chemin sûr.",
                        "Mark without entering the area: a visible marker at a distance, on the safe path.",
                    ),
                    (
                        "Signalez : quoi, où (repères, coordonnées), quand, qui vous êtes.",
                        "Report: what, where (landmarks, coordinates), when, who you are.",
                    ),
                ],
            ),
            "checks": [
                check(
                    "Vous voyez un objet suspect sur votre chemin. Que faites-vous d'abord ?",
                    "You see a suspect object on your path. What do you do first?",
                    [
                        (
                            (
                                "Je le ramasse pour le mettre à l'écart",
                                "I pick it up to move it aside",
                            ),
                            False,
                            (
                                "Jamais : le déplacer peut le faire exploser.",
                                "Never: moving it can set it off.",
                            ),
                        ),
                        (
                            (
                                "Je m'arrête et je recule par mon chemin",
                                "I stop and step back along my path",
                            ),
                            True,
                            ("Exact.", "Right."),
                        ),
                        (
                            (
                                "Je lance une pierre pour vérifier",
                                "I throw a stone at it to check",
                            ),
                            False,
                            ("Jamais : cela peut le déclencher.", "Never: it can set it off."),
                        ),
                    ],
                )
            ],
        },
    ],
    "questions": [
        check(
            "Que signifie un panneau rouge triangulaire avec une tête de mort ?",
            "What does a red triangular sign with a skull mean?",
            [
                (("Danger mines", "Danger mines"), True, ("", "")),
                (("Zone de chantier", "Building site"), False, ("", "")),
                (("Point d'eau", "Water point"), False, ("", "")),
            ],
        ),
        check(
            "Un engin ancien et rouillé est…",
            "An old, rusty item is…",
            [
                (("toujours dangereux", "still dangerous"), True, ("", "")),
                (("inoffensif", "harmless"), False, ("", "")),
            ],
        ),
        check(
            "Pour quitter une zone suspecte, vous…",
            "To leave a suspect area, you…",
            [
                (("revenez sur vos pas", "step back along your own path"), True, ("", "")),
                (("prenez le chemin le plus court", "take the shortest way"), False, ("", "")),
                (("courez", "run"), False, ("", "")),
            ],
        ),
        check(
            "Que doit contenir un signalement ?",
            "What must a report contain?",
            [
                (("Quoi, où, quand, qui", "What, where, when, who"), True, ("", "")),
                (
                    ("Seulement une photo prise de près", "Only a close-up photo"),
                    False,
                    ("", ""),
                ),
            ],
        ),
        check(
            "Qui peut neutraliser un engin explosif ?",
            "Who may deal with an explosive item?",
            [
                (
                    (
                        "Une équipe NEDex qualifiée et accréditée",
                        "A qualified, accredited EOD team",
                    ),
                    True,
                    ("", ""),
                ),
                (("Toute personne prudente", "Any careful person"), False, ("", "")),
            ],
        ),
    ],
}
