"""The one renderer of reports: sheets of rows to CSV or XLSX; and the PDF donor report.

A report is a generator of ``(title, rows)`` sheets (``selectors.report_sheets``); this
module knows nothing of what the rows mean. Cells that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) are neutralised in both formats.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable

from defusedcsv import csv
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

#: ``(title, rows)`` or ``(title, rows, short name for a spreadsheet tab)``.
Sheet = tuple[str, list[list]] | tuple[str, list[list], str]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_render(sheets: Iterable[Sheet]) -> str:
    """All sheets in one CSV, each after a line with its title and before a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)  # defusedcsv escapes formula-like cells
    for title, rows, *_short in sheets:
        writer.writerow([title])
        for row in rows:
            writer.writerow(row)
        writer.writerow([])
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31].strip() or "Sheet"
    name, n = clean, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def xlsx_render(sheets: Iterable[Sheet]) -> bytes:
    """One worksheet per sheet; the first row of each in bold. Text is never a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for title, rows, *short in sheets:
        sheet = workbook.create_sheet(_sheet_title(short[0] if short else title, used))
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        for index, row in enumerate(rows):
            sheet.append([_safe_text(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would store "=..." as a formula
                if index == 0:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_render(*, title: str, report, filters: list[tuple[str, str]]) -> bytes:
    """A donor report: filters, headline figures with definitions, then each breakdown as a
    table and a bar chart (drawn by reportlab itself: no cairo needed)."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from trainees.reports.ranges import figure_text
    from trainees.reports.selectors import overlap_note, row_range

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    from django.conf import settings
    from django.utils.translation import get_language

    site = str(settings.WAGTAIL_SITE_NAME)
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author=site,
        creator=site,
        producer=site,
        subject=title,
        lang=get_language() or settings.LANGUAGE_CODE,
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    def para(text, style="BodyText"):
        return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;"), styles[style])

    story = [para(title, "Title")]
    if filters:
        story.append(Table([[para(k), para(v)] for k, v in filters], colWidths=[5 * cm, 11 * cm]))
    story.append(Spacer(1, 0.4 * cm))
    head = [[para(_("Figure")), para(_("Value")), para(_("Definition"))]]
    head += [
        [para(h.label), para(figure_text(h.value, h.range)), para(h.definition)]
        for h in report.headlines
    ]
    table = Table(head, colWidths=[4.5 * cm, 2.5 * cm, 9 * cm])
    table.setStyle(grid)
    story.append(table)
    for t in [*report.tables, report.new_people, *report.reached]:
        if t is None or not t.rows:
            continue
        story += [Spacer(1, 0.4 * cm), para(t.title, "Heading3")]
        rows = list(t.rows)[:25]
        # Whole labels, wrapped onto as many lines as they need (never cut).
        labels = [textwrap.wrap(str(r.label), 32) or [""] for r in reversed(rows)]
        lines = max(len(label) for label in labels)
        step = max(0.55, 0.32 * lines + 0.2) * cm
        drawing = Drawing(16 * cm, max(2 * cm, step * len(rows) + 1 * cm))
        chart = HorizontalBarChart()
        chart.x, chart.y = 5.6 * cm, 0.5 * cm
        chart.width, chart.height = 9.9 * cm, step * len(rows)
        chart.data = [[r.count for r in reversed(rows)]]
        chart.categoryAxis.categoryNames = ["\n".join(label) for label in labels]
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.leading = 8
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = colors.HexColor("#0b4f8a")
        chart.barLabelFormat = "%d"
        chart.barLabels.nudge = 8
        drawing.add(chart)
        story.append(drawing)
        data = [[para(_("Row")), para(_("People") if t.unit == "people" else _("Headcount"))]]
        if t.unit == "people" and t.total_range is not None:
            data += [[para(r.label), para(figure_text(r.count, row_range(r)))] for r in t.rows]
            data.append([para(_("Total")), para(figure_text(t.total, t.total_range))])
        else:
            data += [[para(r.label), para(str(r.count))] for r in t.rows]
            data.append([para(_("Total")), para(str(t.total))])
        table = Table(data, colWidths=[11 * cm, 5 * cm])
        table.setStyle(grid)
        story.append(table)
        if t.overlapping:
            story.append(para(overlap_note(t.total), "Italic"))
    doc.build(story)
    return out.getvalue()
