"""Factories for the registry. Participations made here skip the LRS (fast counting tests);
tests of statements use ``trainees.services.participation_record``."""

import datetime

import factory

from tests.factories import FieldOfficeFactory
from trainees.models import (
    Organisation,
    Participation,
    Person,
    Place,
    Programme,
    TrainingEvent,
)
from trainees.services import person_names_normalised


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"programme-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Programme {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Programme {o.code}")
    qualifying_outcomes = factory.LazyFunction(lambda: ["completed", "passed"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Organisation {o.code}")
    name_en = ""
    category = "armed_forces"
    reporting_category = "mdsf"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = "region"
    field_office = factory.SubFactory(FieldOfficeFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_names = "Moussa"
    family_name = factory.Sequence(lambda n: f"Traoré{n}")
    sex = "M"
    birth_date = datetime.date(1990, 6, 15)
    birth_year = factory.LazyAttribute(lambda o: o.birth_date.year if o.birth_date else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.update(
            person_names_normalised(
                given_names=kwargs.get("given_names", ""),
                family_name=kwargs.get("family_name", ""),
            )
        )
        return super()._create(model_class, *args, **kwargs)


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEvent

    title = factory.Sequence(lambda n: f"Session {n}")
    programme = factory.SubFactory(ProgrammeFactory, code="eod_iedd")
    kind = "course"
    place = factory.SubFactory(PlaceFactory)
    field_office = factory.LazyAttribute(lambda o: o.place.field_office if o.place else None)
    start_date = datetime.date(2022, 3, 1)
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participation copying its event's fields, as ``participation_record`` does."""

    class Meta:
        model = Participation

    person = factory.SubFactory(PersonFactory)
    event = factory.SubFactory(TrainingEventFactory)
    outcome = "completed"
    date = factory.LazyAttribute(lambda o: o.event.end_date if o.event else datetime.date.today())
    source = "manual"
    programme = factory.LazyAttribute(lambda o: o.event.programme if o.event else None)
    kind = factory.LazyAttribute(lambda o: o.event.kind if o.event else "online")
    place = factory.LazyAttribute(lambda o: o.event.place if o.event else None)
    field_office = factory.LazyAttribute(lambda o: o.event.field_office if o.event else None)
