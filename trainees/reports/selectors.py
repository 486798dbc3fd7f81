"""What a coordinator report shows, assembled from the registry's counting selector.

Every number here comes from ``trainees.selectors.counting`` (people, participations,
breakdowns, new people, people reached) with one :class:`CountScope`; this module only picks
which figures a report holds and names them. Certificates come from the courses app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from trainees.reports.filters import FIGURE_LABELS
from trainees.reports.ranges import range_note
from trainees.selectors.counting import (
    BREAKDOWN_DIMENSIONS,
    OUTCOME_DEFINITIONS,
    REACHED_DIMENSIONS,
    Breakdown,
    CountRange,
    CountScope,
    PendingPairs,
    participations_count,
    pending_pairs,
    people_breakdowns,
    people_count,
    people_count_range,
    people_new_and_cumulative,
    people_ranges,
    people_reached,
    people_reached_breakdown,
)

#: The breakdowns of the dashboard, in display order (issue 6, item 2).
DASHBOARD_DIMENSIONS = (
    "programme",
    "course",
    "outcome",
    "sex",
    "age_band",
    "organisation_category",
    "reporting_category",
    "organisation",
    "field_office",
    "place",
    "year",
    "month",
)

#: Breakdowns the dashboard's first response leaves out: one row per organisation, place or
#: month, the costliest to count (about half the cold build of the all-time dashboard) and
#: too long to show folded anyway. Each is counted when opened, by the breakdown endpoint
#: (from the whole report, cached); exports, publication and the API always have them.
DEFERRED_DIMENSIONS = ("organisation", "place", "month")

#: Headline figures: code -> (label, definition). The definitions are the methodology's.
HEADLINE_DEFINITIONS = {
    "trained": (_("Unique people trained"), OUTCOME_DEFINITIONS["trained"]),
    "participations": (
        _("Participations"),
        _(
            "Rows, not people: every live participation in the scope, whatever its outcome. "
            "One person at five activities is five participations."
        ),
    ),
    "certificates": (
        _("Certificates issued"),
        _(
            "Certificates of online courses issued in the period and not revoked. They follow "
            "the period and course filters only: certificates are not recorded by "
            "organisation, place or field office."
        ),
    ),
    "briefed": (_("People briefed"), OUTCOME_DEFINITIONS["briefed"]),
    "reached": (
        _("People reached by aggregate sessions"),
        _(
            "Headcounts of risk-education sessions, briefings and broadcasts recorded "
            "without names: the same person at two sessions is counted twice. Shown apart, "
            "never added to the unique counts."
        ),
    ),
}


@dataclass
class Headline:
    code: str
    label: str
    value: int
    definition: str
    cumulative: int | None = None
    people: bool = True
    #: The figure's range while pairs wait in the review queue (figures of people only).
    range: CountRange | None = None
    cumulative_range: CountRange | None = None


@dataclass
class Table:
    """One breakdown as the screen and the exports show it."""

    by: str
    title: str
    #: ``None`` when the report was built without this breakdown (``deferred``).
    rows: Breakdown | None
    total: int
    figure: str
    unit: str = "people"  # "people" or "headcount"
    #: The total's range while pairs wait (tables of people; rows carry their own).
    total_range: CountRange | None = None

    @property
    def deferred(self) -> bool:
        return self.rows is None

    @property
    def overlapping(self) -> bool:
        if self.rows is None:
            return False
        return self.rows.overlapping and sum(r.count for r in self.rows) > self.total


@dataclass
class Report:
    scope: CountScope
    figure: str
    headlines: list[Headline]
    tables: list[Table] = field(default_factory=list)
    new_people: Table | None = None
    reached: list[Table] = field(default_factory=list)

    def headline(self, code: str) -> Headline:
        return next(h for h in self.headlines if h.code == code)


def certificates_issued_count(*, scope: CountScope) -> int:
    """Certificates issued in the scope's period (and courses), not revoked.

    The courses app has no counting selector; certificates carry a course and a date only,
    so other filters do not apply to them (the headline's definition says so).
    """
    return _certificates(scope).filter(revoked_at__isnull=True).count()


def _certificates(scope: CountScope):
    """Certificates issued in the scope's period, of its courses (revoked ones too)."""
    from courses.models import Certificate

    qs = Certificate.objects.all()
    if scope.date_from:
        qs = qs.filter(issued_at__date__gte=scope.date_from)
    if scope.date_to:
        qs = qs.filter(issued_at__date__lte=scope.date_to)
    if scope.courses:
        qs = qs.filter(course_key__in=scope.courses)
    return qs


def certificates_changed(*, scope: CountScope, since) -> dict[str, int]:
    """What moved :func:`certificates_issued_count` since ``since`` (a publication):
    certificates of the period issued after it, and those issued before it and revoked
    after it."""
    qs = _certificates(scope)
    return {
        "issued": qs.filter(issued_at__gt=since, revoked_at__isnull=True).count(),
        "revoked": qs.filter(issued_at__lte=since, revoked_at__gt=since).count(),
    }


def report_headlines(
    *,
    scope: CountScope,
    trained: int | None = None,
    trained_since: int | None = None,
    trained_range: CountRange | None = None,
    pending: PendingPairs | None = None,
) -> list[Headline]:
    """The five headline figures; "since the start" counts up to the period's end.

    ``trained`` is the already counted "unique people trained" of ``scope``, and
    ``trained_since`` its "since the start" figure, if the caller has them (the dashboard
    counts them with its breakdowns and new people): one scan fewer each. Figures of people
    carry their range (``uncertainty``) from the pending pairs (``pending``, read once).
    """
    pending = pending_pairs() if pending is None else pending

    def ranged(figure_scope: CountScope, value: int) -> CountRange:
        return people_count_range(scope=figure_scope, standing=value, pending=pending)

    trained_scope = scope.replace(outcomes=("trained",))
    briefed = scope.replace(outcomes=("briefed",))
    attended = scope.replace(outcomes=("attended",))

    def headline(code: str, value: int, **kwargs) -> Headline:
        label, definition = HEADLINE_DEFINITIONS[code]
        return Headline(
            code=code, label=str(label), value=value, definition=str(definition), **kwargs
        )

    since = scope.date_from is not None
    if trained is None:
        trained = people_count(scope=trained_scope)
    if trained_range is None:
        trained_range = ranged(trained_scope, trained)
    trained_cumulative = trained_cumulative_range = None
    if since:
        trained_cumulative = (
            trained_since
            if trained_since is not None
            else people_count(scope=trained_scope.replace(date_from=None))
        )
        trained_cumulative_range = ranged(trained_scope.replace(date_from=None), trained_cumulative)
    briefed_value = people_count(scope=briefed)
    briefed_cumulative = briefed_cumulative_range = None
    if since:
        briefed_cumulative = people_count(scope=briefed.replace(date_from=None))
        briefed_cumulative_range = ranged(briefed.replace(date_from=None), briefed_cumulative)
    return [
        headline(
            "trained",
            trained,
            cumulative=trained_cumulative,
            range=trained_range,
            cumulative_range=trained_cumulative_range,
        ),
        headline("participations", participations_count(scope=attended), people=False),
        headline("certificates", certificates_issued_count(scope=scope), people=False),
        headline(
            "briefed",
            briefed_value,
            cumulative=briefed_cumulative,
            range=ranged(briefed, briefed_value),
            cumulative_range=briefed_cumulative_range,
        ),
        headline("reached", people_reached(scope=scope), people=False),
    ]


def report_build(
    *,
    scope: CountScope,
    figure: str = "trained",
    with_breakdowns=True,
    cached: bool = True,
    deferred: tuple[str, ...] = (),
) -> Report:
    """The whole dashboard: headlines, every breakdown of ``figure``, new people per year and
    people reached by aggregate sessions. The number of queries does not depend on the data.

    ``deferred`` names breakdowns left uncounted (their tables have ``rows=None``): the
    dashboard's first response (``DEFERRED_DIMENSIONS``); every other figure is the same.

    Served from ``trainees.reports.cache`` unless ``cached=False``: the stored report is the
    one this function built for the same scope at the same registry data version, so cached
    and live figures are identical (a whole report stored serves a request with ``deferred``
    too); certificates (not registry data) are always recounted.
    """
    deferred = tuple(by for by in DASHBOARD_DIMENSIONS if by in deferred)

    def build() -> Report:
        return _report_build_live(
            scope=scope, figure=figure, with_breakdowns=with_breakdowns, deferred=deferred
        )

    if not cached:
        return build()
    from trainees.reports.cache import report_cached

    report = report_cached(
        build=build,
        scope=scope,
        figure=figure,
        with_breakdowns=with_breakdowns,
        deferred=deferred,
    )
    report.scope = scope.replace(outcomes=(figure,))
    report.headline("certificates").value = certificates_issued_count(scope=scope)
    return report


def _report_build_live(
    *, scope: CountScope, figure: str, with_breakdowns: bool, deferred: tuple[str, ...] = ()
) -> Report:
    people_scope = scope.replace(outcomes=(figure,))
    breakdowns = total = new = since = None
    counted = tuple(by for by in DASHBOARD_DIMENSIONS if by not in deferred)
    if with_breakdowns:
        # Every breakdown, the total and (for a scope without a start) new people per year in
        # as few scans as the database allows.
        all_time = scope.date_from is None
        breakdowns = people_breakdowns(
            scope=people_scope, by=counted, new_period="year" if all_time else None
        )
        total, new = breakdowns.total, breakdowns.new
        if not all_time:
            # New people per year and "since the start" group the same rows by person.
            new, since = people_new_and_cumulative(scope=people_scope, period="year")
    pending = pending_pairs()
    total_range = ranged = None
    if with_breakdowns:
        # Every row's range and the total's from one look-up of the pairs' people.
        total_range, ranged = people_ranges(
            scope=people_scope,
            standing=total,
            breakdowns={by: breakdowns[by] for by in counted},
            pending=pending,
        )
    headlines = report_headlines(
        scope=scope,
        trained=total if figure == "trained" else None,
        trained_since=since if figure == "trained" else None,
        trained_range=total_range if figure == "trained" else None,
        pending=pending,
    )
    if figure == "briefed" and with_breakdowns:
        briefed = next(h for h in headlines if h.code == "briefed")
        total, total_range = briefed.value, briefed.range
    report = Report(scope=people_scope, figure=figure, headlines=headlines)
    if not with_breakdowns:
        return report
    figure_label = str(FIGURE_LABELS[figure])
    for by in DASHBOARD_DIMENSIONS:
        report.tables.append(
            Table(
                by=by,
                title=str(
                    _("%(figure)s · %(dimension)s")
                    % {"figure": figure_label, "dimension": BREAKDOWN_DIMENSIONS[by]}
                ),
                rows=ranged.get(by),
                total=total,
                figure=figure,
                total_range=total_range,
            )
        )
    report.new_people = Table(
        by="new_year",
        title=str(_("New people per year (first qualifying activity)")),
        rows=new,
        total=sum(r.count for r in new),
        figure=figure,
    )
    reached_total = report.headline("reached").value
    for by in REACHED_DIMENSIONS:
        report.reached.append(
            Table(
                by=by,
                title=str(
                    _("People reached (headcounts) · %(dimension)s")
                    % {"dimension": BREAKDOWN_DIMENSIONS[by]}
                ),
                rows=people_reached_breakdown(scope=scope, by=by),
                total=reached_total,
                figure="reached",
                unit="headcount",
            )
        )
    return report


def _range_cells(value: int, found: CountRange | None) -> list:
    """The "lowest" and "expected" cells of a figure of people (the figure itself when no
    pair waits among its people)."""
    if found is None:
        return [value, value]
    return [found.lowest, round(found.expected, 1)]


def row_range(row) -> CountRange:
    """A row's range (its count alone when no pair waits among its people)."""
    if row.lowest is None:
        return CountRange(standing=row.count, lowest=row.count, expected=float(row.count))
    return CountRange(standing=row.count, lowest=row.lowest, expected=row.expected, pairs=row.pairs)


def report_sheets(*, report: Report, filters: list[tuple[str, str]]):
    """The report as rows, sheet by sheet, for the shared renderer (CSV, XLSX, PDF).

    Yields ``(title, rows, sheet name)``; the first sheet holds the filters and the
    definitions, so an exported file says what its numbers mean. The sheet name is short and
    whole (a spreadsheet tab holds 31 characters): the dimension, not the title. Figures of
    people carry their range: the columns "Lowest" (every pair awaiting review merged) and
    "Expected" (the model's count).
    """
    about = [
        [str(_("Filter")), str(_("Value"))],
        *([label, value] for label, value in filters),
        [],
        [
            str(_("Figure")),
            str(_("Value")),
            str(_("Lowest")),
            str(_("Expected")),
            str(_("Pairs awaiting review")),
            str(_("Since the start")),
            str(_("Definition")),
        ],
        *(
            [
                h.label,
                h.value,
                *(_range_cells(h.value, h.range) if h.people else ["", ""]),
                h.range.pairs if h.range else ("" if not h.people else 0),
                "" if h.cumulative is None else h.cumulative,
                h.definition,
            ]
            for h in report.headlines
        ),
    ]
    yield str(_("Definitions and filters")), about, str(_("Definitions and filters"))
    for table in [*report.tables, report.new_people, *report.reached]:
        if table is None:
            continue
        # A short, whole name for the spreadsheet tab (at most 31 characters there).
        if table.by == "new_year":
            sheet = str(_("New people per year"))
        elif table.figure == "reached":
            sheet = str(
                _("Reached · %(dimension)s") % {"dimension": BREAKDOWN_DIMENSIONS[table.by]}
            )
        else:
            sheet = str(BREAKDOWN_DIMENSIONS[table.by])
        people = table.unit == "people"
        unit = str(_("People")) if people else str(_("Headcount"))
        ranged = people and table is not report.new_people
        head = [str(_("Row")), str(_("Key")), unit]
        if ranged:
            head += [str(_("Lowest")), str(_("Expected"))]
        rows = [head]
        for row in table.rows:
            cells = [row.label, "" if row.key is None else str(row.key), row.count]
            if ranged:
                cells += _range_cells(row.count, row_range(row))
            rows.append(cells)
        total = [str(_("Total")), "", table.total]
        if ranged:
            total += _range_cells(table.total, table.total_range)
        rows.append(total)
        if table.overlapping:
            rows.append([str(overlap_note(table.total))])
        if ranged and table.total_range is not None and table.total_range.uncertain:
            rows.append([range_note(table.total_range)])
        yield table.title, rows, sheet


def overlap_note(total: int) -> str:
    return str(
        _(
            "A person can be in several rows: the rows add up to more than the total "
            "(%(total)s people), which counts each person once."
        )
        % {"total": total}
    )


def range_json(found: CountRange | None) -> dict:
    """A range as frozen and served by the API: ``lowest``, ``expected``, pending ``pairs``
    (absent for headcounts; equal to the figure when no pair waits)."""
    if found is None:
        return {}
    return {"lowest": found.lowest, "expected": found.expected, "pairs_pending": found.pairs}


def report_frozen(*, report: Report) -> dict:
    """The report's figures as JSON, frozen when it is published."""

    def table_json(table: Table) -> dict:
        ranged = table.unit == "people" and table.total_range is not None
        if table.deferred:  # never published: publication builds the whole report
            return {"by": table.by, "title": table.title, "total": table.total, "rows": None}
        return {
            "by": table.by,
            "title": table.title,
            "total": table.total,
            "unit": table.unit,
            "overlapping": table.overlapping,
            **range_json(table.total_range),
            "rows": [
                {
                    "key": None if r.key is None else str(r.key),
                    "label": r.label,
                    "count": r.count,
                    **(range_json(row_range(r)) if ranged else {}),
                }
                for r in table.rows
            ],
        }

    return {
        "figure": report.figure,
        "headlines": [
            {
                "code": h.code,
                "label": h.label,
                "value": h.value,
                "cumulative": h.cumulative,
                **range_json(h.range),
            }
            for h in report.headlines
        ],
        "tables": [table_json(t) for t in report.tables],
        "new_people": table_json(report.new_people) if report.new_people else None,
        "reached": [table_json(t) for t in report.reached],
    }


def user_can_read_reports(*, user) -> bool:
    """Coordinators and administrators read every report and the people behind the numbers.

    Trainers and lead trainers are refused: the reports cover every field office and their
    drill-downs name people; trainers see their own offices' people in the registry screens.
    """
    from lms.accounts.roles import Role
    from lms.accounts.selectors import user_has_role

    return user_has_role(user=user, roles={Role.COORDINATOR, Role.ADMINISTRATOR})
