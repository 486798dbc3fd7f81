"""Demo data: a site someone can sign in to and try, in French and English.

Every step is idempotent: it looks for what it would create and creates only what is missing,
so running the command twice changes nothing. Later parts of the platform add their steps to
DEMO_STEPS.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from lms.accounts.models import FieldOffice, User
from lms.accounts.roles import Role
from lms.accounts.services import user_roles_set

from .models import HomePage

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never in production
FIELD_OFFICES = [
    ("bamako", "Bamako"),
    ("gao", "Gao"),
    ("kidal", "Kidal"),
    ("mopti", "Mopti"),
    ("tessalit", "Tessalit"),
    ("timbuktu", "Tombouctou"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    language: str
    first_name: str
    last_name: str
    offices: tuple[str, ...] = ()


DEMO_USERS = [
    DemoUser("stagiaire", Role.TRAINEE, "fr", "Aminata", "Traoré"),
    DemoUser("trainee", Role.TRAINEE, "en", "Grace", "Mensah"),
    DemoUser("formateur", Role.TRAINER, "fr", "Moussa", "Coulibaly", ("gao", "mopti")),
    DemoUser("trainer", Role.TRAINER, "en", "Daniel", "Osei", ("bamako",)),
    DemoUser("formateur.principal", Role.LEAD_TRAINER, "fr", "Fatoumata", "Keïta"),
    DemoUser("lead.trainer", Role.LEAD_TRAINER, "en", "Sarah", "Lindqvist"),
    DemoUser("coordinateur", Role.COORDINATOR, "fr", "Ibrahim", "Maïga"),
    DemoUser("coordinator", Role.COORDINATOR, "en", "Priya", "Raman"),
    DemoUser("administrateur", Role.ADMINISTRATOR, "fr", "Oumar", "Diallo"),
    DemoUser("administrator", Role.ADMINISTRATOR, "en", "Anna", "Kowalski"),
]

HOME_CONTENT = {
    "fr": (
        "Formation à l'action contre les mines",
        "<p>Cours en ligne et formations en présentiel : neutralisation des engins explosifs, "
        "gestion des armes et munitions, sensibilisation aux risques des engins explosifs.</p>",
    ),
    "en": (
        "Mine action training",
        "<p>Online courses and in-person training: explosive ordnance disposal, weapons and "
        "ammunition management, explosive hazard awareness.</p>",
    ),
}


def demo_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def demo_site(locales: dict[str, Locale]) -> HomePage:
    """The home page in French (the default language) and its English translation."""
    home = HomePage.objects.filter(locale=locales["fr"]).first()
    if home is None:
        root = Page.get_first_root_node()
        title, intro = HOME_CONTENT["fr"]
        home = root.add_child(
            instance=HomePage(title=title, slug="accueil", intro=intro, locale=locales["fr"])
        )
        welcome = Page.objects.filter(depth=2, content_type__model="page").exclude(pk=home.pk)
        Site.objects.filter(root_page__in=welcome).update(root_page=home)
        for page in welcome:
            page.delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    for code, locale in locales.items():
        if code == "fr" or home.has_translation(locale):
            continue
        translation = home.copy_for_translation(locale)
        title, intro = HOME_CONTENT[code]
        translation.title, translation.intro, translation.slug = title, intro, "home"
        translation.save_revision().publish()
    return home


def demo_field_offices() -> dict[str, FieldOffice]:
    return {
        code: FieldOffice.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in FIELD_OFFICES
    }


def demo_users(offices: dict[str, FieldOffice]) -> list[DemoUser]:
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@example.org",
                preferred_language=spec.language,
                is_superuser=spec.role is Role.ADMINISTRATOR,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user_roles_set(user=user, roles={spec.role})
            user.field_offices.set([offices[code] for code in spec.offices])
    return DEMO_USERS


def demo_data_load() -> list[str]:
    """Load every demo step; returns lines describing what the demo offers."""
    with transaction.atomic():
        locales = demo_locales()
        demo_site(locales)
        offices = demo_field_offices()
        users = demo_users(offices)
        from courses.demo import demo_courses

        demo_courses()
        from trainees.demo import demo_registry  # the registry (issue 5)

        registry_lines = demo_registry(offices)
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for spec in users:
        lines.append(f"  {spec.role.value:<14} {spec.language}  {spec.username}")
    lines.append("Staff accounts (trainer and above) set up an authenticator app at first sign-in;")
    lines.append("the set-up page also shows the secret as text, to type into the app by hand.")
    lines.extend(registry_lines)
    return lines
