"""The SQL building blocks every count shares: date parts, age at the activity, and the
queryset of live qualifying participations for a scope."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, CharField, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.lookups import GreaterThan

from lms.accounts.models import FieldOffice
from trainees.models import (
    AGE_BAND_SCHEMES,
    CountFact,
    EventKind,
    Organisation,
    Outcome,
    Participation,
    Place,
    Programme,
)
from trainees.models.choices import AGE_UNKNOWN

from .scope import CountScope


class _DatePart(Func):
    """An integer part of a date, computed natively by the database.

    Django's ``Extract*`` run as Python callbacks on SQLite: a second per 10,000 rows, far
    too slow for age bands over a million participations. SQLite stores dates as ISO text,
    so the parts are substrings there; PostgreSQL extracts them natively.
    """

    output_field = IntegerField()
    sqlite_parts: tuple[tuple[int, int], ...] = ()
    postgres_template = ""

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        pieces = " || ".join(
            f"substr({sql}, {start}, {length})" for start, length in self.sqlite_parts
        )
        return f"CAST({pieces} AS integer)", params * len(self.sqlite_parts)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        template = self.postgres_template
        count = template.count("{x}")
        return template.replace("{x}", sql), params * count


class YearOf(_DatePart):
    sqlite_parts = ((1, 4),)
    postgres_template = "CAST(EXTRACT(YEAR FROM {x}) AS integer)"


class MonthDayOf(_DatePart):
    """``month * 100 + day``: compares anniversaries."""

    sqlite_parts = ((6, 2), (9, 2))
    postgres_template = "CAST(EXTRACT(MONTH FROM {x}) * 100 + EXTRACT(DAY FROM {x}) AS integer)"


class YearMonthOf(_DatePart):
    """``year * 100 + month``."""

    sqlite_parts = ((1, 4), (6, 2))
    postgres_template = "CAST(EXTRACT(YEAR FROM {x}) * 100 + EXTRACT(MONTH FROM {x}) AS integer)"


#: The person a participation counts for: always a surviving person, since merges re-point
#: participations (see the module docstring).
PERSON_KEY = F("person_id")


def _survivor(field_name: str):
    """A field of the person a participation counts for."""
    return F(f"person__{field_name}")


def _age():
    # Needs the ``_birth_date`` / ``_birth_year`` annotations of :func:`_with_age`.
    birth_date, birth_year = F("_birth_date"), F("_birth_year")
    activity_md = MonthDayOf("date")
    birth_md = MonthDayOf(birth_date)
    return Case(
        When(
            Q(_birth_date__isnull=False),
            then=YearOf("date")
            - YearOf(birth_date)
            - Case(
                When(GreaterThan(birth_md, activity_md), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        ),
        When(Q(_birth_year__isnull=False), then=YearOf("date") - birth_year),
        default=None,
        output_field=IntegerField(),
    )


def _age_band(scheme: str):
    whens = [When(_age__isnull=True, then=Value(AGE_UNKNOWN))]
    for band in AGE_BAND_SCHEMES[scheme]:
        if band.upper is not None:
            whens.append(When(_age__lt=band.upper, then=Value(band.code)))
        else:
            whens.append(When(_age__isnull=False, then=Value(band.code)))
    return Case(*whens, default=Value(AGE_UNKNOWN), output_field=CharField())


def _with_age(qs: QuerySet, scheme: str) -> QuerySet:
    if qs.model is CountFact:  # the age at the activity is stored there
        return qs.annotate(_age=F("age")).annotate(_age_band=_age_band(scheme))
    return (
        qs.annotate(_birth_date=_survivor("birth_date"), _birth_year=_survivor("birth_year"))
        .annotate(_age=_age())
        .annotate(_age_band=_age_band(scheme))
    )


def counting_facts() -> bool:
    """Whether counts read the counting table (PostgreSQL; see ``trainees.models.count_facts``)
    rather than the participations (SQLite)."""
    return connection.vendor == "postgresql"


#: Columns of a person or an organisation, as each source of rows reaches them.
_COPIED = {
    False: {
        "sex": "person__sex",
        "organisation_category": "organisation__category",
        "reporting_category": "organisation__reporting_category",
    },
    True: {
        "sex": "sex",
        "organisation_category": "organisation_category",
        "reporting_category": "reporting_category",
    },
}


def copied_column(qs: QuerySet, name: str) -> str:
    """The lookup of ``name`` (sex or an organisation category) for rows of ``qs``."""
    return _COPIED[qs.model is CountFact][name]


def _counted(scope: CountScope, programmes=None) -> QuerySet:
    """The rows a count reads: :class:`CountFact` on PostgreSQL, else the live participations.
    Both give the same figures (the drill-down, which lists participations, proves it)."""
    return _participations(scope, programmes, facts=counting_facts())


def _descendants(model, roots: set[int]) -> set[int]:
    """Ids of ``roots`` and everything below them (one query: the trees are small)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in model.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), list(roots)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


def _programmes() -> dict[int, tuple[str, str, list[str]]]:
    return {
        pk: (code, str(name), list(outcomes or []))
        for pk, code, name, outcomes in (
            (p.pk, p.code, p.name, p.qualifying_outcomes) for p in Programme.objects.all()
        )
    }


def _outcome_q(tokens: tuple[str, ...], programmes) -> Q:
    query = Q()
    for token in tokens:  # outcome tokens, not secrets
        if token == "attended":  # noqa: S105
            return Q()
        if token == "trained":  # noqa: S105
            default = [Outcome.COMPLETED, Outcome.PASSED]
            query |= Q(programme__isnull=True, outcome__in=default)
            for pk, (_code, _name, outcomes) in programmes.items():
                if outcomes:
                    query |= Q(programme_id=pk, outcome__in=outcomes)
        elif token == "briefed":  # noqa: S105
            query |= Q(kind=EventKind.BRIEFING)
        else:
            query |= Q(outcome=token)
    return query if query else Q(pk__in=[])


def _participations(
    scope: CountScope, programmes=None, *, facts: bool = False, voided: bool = False
) -> QuerySet:
    """The live participations that qualify for ``scope`` (with ``facts``, their rows of the
    counting table: same filters, on copied columns; with ``voided``, voided ones too, to
    explain a restated figure)."""
    programmes = _programmes() if programmes is None else programmes
    if facts:
        rows = CountFact.objects.all()
    else:
        rows = Participation.objects.all() if voided else Participation.objects.filter(voided=False)
    qs = rows.filter(_outcome_q(scope.outcomes, programmes))
    if scope.programmes:
        wanted = set(scope.programmes)
        qs = qs.filter(programme_id__in=[pk for pk, p in programmes.items() if p[0] in wanted])
    if scope.courses:
        qs = qs.filter(course_public_id__in=scope.courses)
    if scope.event_kinds:
        qs = qs.filter(kind__in=scope.event_kinds)
    if scope.organisation_categories:
        column = copied_column(qs, "organisation_category")
        qs = qs.filter(**{f"{column}__in": scope.organisation_categories})
    if scope.reporting_categories:
        column = copied_column(qs, "reporting_category")
        qs = qs.filter(**{f"{column}__in": scope.reporting_categories})
    if scope.organisations:
        roots = set(
            Organisation.objects.filter(code__in=scope.organisations).values_list("pk", flat=True)
        )
        qs = qs.filter(organisation_id__in=_descendants(Organisation, roots))
    if scope.places:
        qs = qs.filter(place_id__in=_descendants(Place, set(scope.places)))
    if scope.field_offices:
        qs = qs.filter(
            field_office_id__in=FieldOffice.objects.filter(code__in=scope.field_offices).values(
                "pk"
            )
        )
    if scope.date_from:
        qs = qs.filter(date__gte=scope.date_from)
    if scope.date_to:
        qs = qs.filter(date__lte=scope.date_to)
    if scope.sexes:
        qs = qs.annotate(_sex=F(copied_column(qs, "sex"))).filter(_sex__in=scope.sexes)
    if scope.age_bands:
        qs = _with_age(qs, scope.age_scheme).filter(_age_band__in=scope.age_bands)
    return qs
