"""Demo course: ied-threat-mitigation (French, English)."""

from . import DNT, check

COURSE = {
    "slug": "ied-threat-mitigation",
    "slug_fr": "attenuation-menace-eei",
    "programme": "ptm",
    "level": "awareness",
    "minutes": 120,
    "validity": 12,
    "title": (
        "Atténuation de la menace EEI – pré-déploiement",
        "IED threat mitigation – pre-deployment",
    ),
    "summary": (
        "Ce que tout membre d'un contingent doit savoir sur les engins explosifs improvisés "
        "avant d'arriver dans la zone de mission.",
        "What every member of a contingent must know about improvised explosive devices "
        "before arriving in the mission area.",
    ),
    "objectives": (
        "<ul><li>Décrire les composants d'un EEI en termes généraux.</li><li>Reconnaître "
        "les indicateurs d'un EEI.</li><li>Appliquer les mesures immédiates : confirmer, "
        "évacuer, alerter, boucler, contrôler.</li></ul>",
        "<ul><li>Describe the parts of an IED in general terms.</li><li>Recognise IED "
        "indicators.</li><li>Apply immediate actions: confirm, clear, call, cordon, "
        "control.</li></ul>",
    ),
    "modules": [
        {
            "title": ("Qu'est-ce qu'un EEI ?", "What is an IED?"),
            "intro": (
                "Un engin fabriqué hors des normes militaires.",
                "A device made outside military standards.",
            ),
            "text": (
                "<p>Un engin explosif improvisé associe une charge, un système de mise à "
                "feu, une source d'énergie et un contenant. Il peut être déclenché par la "
                "victime, à distance ou par une minuterie. Sa forme n'est jamais "
                "prévisible : c'est le contexte qui doit alerter.</p>",
                "<p>An improvised explosive device combines a charge, a firing system, a "
                "power source and a container. It can be set off by the victim, remotely or "
                "by a timer. Its appearance is never predictable: the context must alert "
                "you.</p>",
            ),
            "warning": DNT,
            "checks": [
                check(
                    "Un EEI a-t-il une apparence standard ?",
                    "Does an IED have a standard appearance?",
                    [
                        (
                            ("Oui", "Yes"),
                            False,
                            (
                                "Non : il peut prendre n'importe quelle forme.",
                                "No: it can take any form.",
                            ),
                        ),
                        (
                            ("Non", "No"),
                            True,
                            (
                                "Exact : c'est le contexte qui alerte.",
                                "Right: context is what alerts you.",
                            ),
                        ),
                    ],
                )
            ],
        },
        {
            "title": ("Indicateurs", "Indicators"),
            "intro": (
                "Ce qui change dans l'environnement.",
                "What changes in the surroundings.",
            ),
            "text": (
                "<p>Terre remuée, fils ou cordons, objets déplacés ou inhabituels, marques "
                "sur les bas-côtés, absence soudaine de la population, points de passage "
                "obligés (ponts, ravins, rétrécissements). Notez ce qui a changé depuis "
                "votre dernier passage.</p>",
                "<p>Disturbed earth, wires or cords, moved or unusual objects, marks on the "
                "verges, locals suddenly absent, vulnerable points (bridges, gullies, "
                "narrow passages). Note what has changed since you last came through.</p>",
            ),
            "checks": [
                check(
                    "Lesquels sont des indicateurs possibles d'EEI ?",
                    "Which are possible IED indicators?",
                    [
                        (
                            ("Un fil qui traverse la piste", "A wire across the track"),
                            True,
                            ("Oui.", "Yes."),
                        ),
                        (
                            (
                                "Un marché vide à l'heure habituelle d'affluence",
                                "An empty market at its usual busy hour",
                            ),
                            True,
                            ("Oui.", "Yes."),
                        ),
                        (
                            (
                                "Un troupeau qui traverse comme d'habitude",
                                "A herd crossing as usual",
                            ),
                            False,
                            (
                                "Ce n'est pas en soi un indicateur.",
                                "Not an indicator in itself.",
                            ),
                        ),
                    ],
                    kind="multiple",
                )
            ],
        },
        {
            "title": ("Mesures immédiates", "Immediate actions"),
            "intro": ("Les « 5 C ».", "The “5 Cs”."),
            "text": (
                "<p>Ne vous approchez jamais d'un objet suspect pour le confirmer : "
                "observez de loin, avec des jumelles si possible. Évitez d'utiliser radios "
                "et téléphones à proximité ; éloignez-vous d'abord.</p>",
                "<p>Never approach a suspect object to confirm it: observe from a distance, "
                "with binoculars if possible. Avoid using radios and phones nearby; move "
                "away first.</p>",
            ),
            "procedure": (
                ("Les 5 C", "The 5 Cs"),
                [
                    (
                        "Confirmer, à distance et sans toucher.",
                        "Confirm, from a distance and without touching.",
                    ),
                    (
                        "Évacuer la zone (Clear), derrière un abri solide.",
                        "Clear the area, behind hard cover.",
                    ),
                    (
                        "Alerter (Call) la chaîne de commandement et l'équipe NEDex.",
                        "Call the chain of command and the EOD team.",
                    ),
                    (
                        "Boucler (Cordon) la zone selon vos procédures.",
                        "Cordon the area as your procedures require.",
                    ),
                    (
                        "Contrôler (Control) les accès jusqu'à l'arrivée de l'équipe qualifiée.",
                        "Control access until the qualified team arrives.",
                    ),
                ],
            ),
            "checks": [
                check(
                    "Quelle est la première mesure face à un objet suspect ?",
                    "What is the first action facing a suspect object?",
                    [
                        (
                            (
                                "Confirmer à distance, sans toucher",
                                "Confirm from a distance, without touching",
                            ),
                            True,
                            ("Exact.", "Right."),
                        ),
                        (
                            ("Le soulever pour vérifier", "Lift it to check"),
                            False,
                            ("Jamais.", "Never."),
                        ),
                    ],
                )
            ],
        },
    ],
    "questions": [
        check(
            "Combien de composants principaux a un EEI ?",
            "How many main parts does an IED have?",
            [
                (
                    (
                        "Quatre : charge, mise à feu, énergie, contenant",
                        "Four: charge, firing system, power, container",
                    ),
                    True,
                    ("", ""),
                ),
                (("Un seul", "Only one"), False, ("", "")),
            ],
        ),
        check(
            "Que signifie « Clear » dans les 5 C ?",
            "What does “Clear” mean in the 5 Cs?",
            [
                (("Évacuer la zone", "Move people away from the area"), True, ("", "")),
                (("Déminer la zone soi-même", "Clear the device yourself"), False, ("", "")),
            ],
        ),
        check(
            "Près d'un objet suspect, la radio…",
            "Near a suspect object, the radio…",
            [
                (
                    ("s'utilise après s'être éloigné", "is used after moving away"),
                    True,
                    ("", ""),
                ),
                (("s'utilise à côté de l'objet", "is used right next to it"), False, ("", "")),
            ],
        ),
        check(
            "Un point de passage obligé est…",
            "A vulnerable point is…",
            [
                (
                    ("un lieu propice à la pose d'un EEI", "a likely place for an IED"),
                    True,
                    ("", ""),
                ),
                (("toujours sûr", "always safe"), False, ("", "")),
            ],
        ),
        check(
            "Qui traite l'EEI ?",
            "Who deals with the IED?",
            [
                (("Une équipe IEDD qualifiée", "A qualified IEDD team"), True, ("", "")),
                (("La patrouille", "The patrol"), False, ("", "")),
            ],
        ),
    ],
}
