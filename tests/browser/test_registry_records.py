"""A trainer opens a person's record and an event page with the keyboard only, in French and
in English; every view is audited; a trainer of another field office is refused, clearly."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lms.core.models import AuditEvent
from tests.browser.test_registry_import import sign_in_with_code
from tests.factories import FieldOfficeFactory, UserFactory, totp_enable
from tests.trainees.factories import PlaceFactory, ProgrammeFactory
from trainees.review.services import person_merge
from trainees.services import participation_record, person_create, training_event_create

TEXT = {
    "fr": {
        "identity": "Identité",
        "certificates": "Certificats",
        "no_certificate": "Aucun certificat délivré.",
        "statements": "Traces d'apprentissage (déclarations xAPI)",
        "merges": "Historique des fusions",
        "merged_in": "Fiches fusionnées avec celle-ci\u202f:",
        "why": "Motif\u202f: Même matricule sur les deux listes",
        "trainers": "Formateurs",
        "not_found": "Page introuvable",
    },
    "en": {
        "identity": "Identity",
        "certificates": "Certificates",
        "no_certificate": "No certificate issued.",
        "statements": "Learning records (xAPI statements)",
        "merges": "Merge history",
        "merged_in": "Records merged into this one:",
        "why": "Why: Même matricule sur les deux listes",
        "trainers": "Trainers",
        "not_found": "Page not found",
    },
}
REFUSED = (
    "No record with this id is open to you. Trainers see the people and events of "
    "their own field offices only; ask a coordinator if you need this record."
)


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the link named ``name`` has the focus, then Enter: fails if the link
    cannot be reached with the keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        tag, text = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.textContent.trim()]"
        )
        if tag == "A" and text == name:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_trainer_reads_record_and_event_with_the_keyboard(page, sign_in, language):
    t = TEXT[language]
    gao, kidal = FieldOfficeFactory(code="gao", name="Gao"), FieldOfficeFactory(code="kidal")
    trainer = UserFactory(username="trainer", role="trainer", first_name="Oumar", last_name="Maïga")
    trainer.field_offices.add(gao)
    trainer_secret = totp_enable(trainer)
    outsider = UserFactory(username="outsider", role="trainer")
    outsider.field_offices.add(kidal)
    outsider_secret = totp_enable(outsider)
    coordinator = UserFactory(username="coordinator", role="coordinator")

    programme = ProgrammeFactory(code="eod")
    place = PlaceFactory(name="Gao ville", field_office=gao)
    event = training_event_create(
        title="EOD niveau 1 Gao",
        programme=programme,
        kind="course",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 6),
        place=place,
        trainers=[trainer],
    )
    earlier = training_event_create(
        title="Sensibilisation Gao",
        programme=programme,
        kind="briefing",
        start_date=datetime.date(2025, 11, 4),
        place=place,
    )
    born = datetime.date(1988, 6, 14)
    person = person_create(
        given_names="Mariam",
        family_name="Coulibaly",
        sex="F",
        birth_date=born,
        identifiers=[("service_number", "AB1234")],
    )
    twin = person_create(given_names="Mariam", family_name="Koulibaly", sex="F", birth_date=born)
    participation_record(person=person, event=event, outcome="passed", score=85)
    participation_record(person=twin, event=earlier, outcome="attended")
    person_merge(
        survivor=person, merged=twin, user=coordinator, reason="Même matricule sur les deux listes"
    )

    sign_in_with_code(page, sign_in, trainer, trainer_secret, language)
    page.goto(f"/{language}/registry/people/")
    tab_to(page, "COULIBALY Mariam")
    expect(page).to_have_url(re.compile(f"/{language}/registry/people/{person.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("COULIBALY Mariam")
    expect(section(page, t["identity"])).to_contain_text(str(person.public_id))
    identifiers = page.locator("section[aria-labelledby=identifiers-heading] tbody tr")
    expect(identifiers).to_have_count(1)
    expect(identifiers).to_contain_text("AB1234")
    participations = page.locator("section[aria-labelledby=participations-heading] tbody tr")
    expect(participations).to_have_count(2)  # the merged record's participation too
    expect(participations.first).to_contain_text("EOD niveau 1 Gao")
    expect(participations.first).to_contain_text("85 %")
    expect(participations.nth(1)).to_contain_text("Sensibilisation Gao")
    expect(section(page, t["certificates"])).to_contain_text(t["no_certificate"])
    statements = section(page, t["statements"]).locator("tbody tr")
    expect(statements).to_have_count(2)  # the merged record's statement too
    expect(statements.filter(has_text="EOD niveau 1 Gao")).to_have_count(1)
    expect(statements.filter(has_text="Sensibilisation Gao")).to_have_count(1)
    merges = section(page, t["merges"])
    expect(merges).to_contain_text(t["merged_in"])
    expect(merges.get_by_role("link", name="KOULIBALY Mariam")).to_be_visible()
    expect(merges).to_contain_text(t["why"])

    tab_to(page, "EOD niveau 1 Gao")
    expect(page).to_have_url(re.compile(f"/{language}/registry/events/{event.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("EOD niveau 1 Gao")
    facts = page.locator("dl.record-facts")
    expect(facts).to_contain_text("Gao ville")
    expect(facts).to_contain_text("Oumar Maïga")
    expect(page.locator("table.record-table tbody tr")).to_have_count(1)
    tab_to(page, "COULIBALY Mariam")  # and back to the record, still by keyboard
    expect(page).to_have_url(re.compile(f"/registry/people/{person.public_id}/$"))

    audited = AuditEvent.objects.filter(user=trainer)
    assert audited.filter(action="person.view", target_id=str(person.pk)).count() == 2
    assert audited.filter(action="event.participants.view", target_id=str(event.pk)).count() == 1
    assert audited.filter(action="person.list").count() == 1

    # A trainer of another field office: refused with a message saying why, and audited.
    page.context.clear_cookies()
    sign_in_with_code(page, sign_in, outsider, outsider_secret, language)
    with translation.override(language):
        refused = gettext(REFUSED)
    for url in (
        f"/{language}/registry/people/{person.public_id}/",
        f"/{language}/registry/events/{event.public_id}/",
    ):
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text(t["not_found"])
        expect(page.locator("main")).to_contain_text(refused)
        expect(page.locator("main")).not_to_contain_text("Coulibaly")
    refusals = AuditEvent.objects.filter(user=outsider).values_list("action", "detail")
    assert sorted(refusals) == [
        ("event.view_refused", {"public_id": str(event.public_id)}),
        ("person.view_refused", {"public_id": str(person.public_id)}),
    ]
    assert not AuditEvent.objects.filter(
        user=outsider, action__in=["person.view", "event.participants.view"]
    ).exists()
