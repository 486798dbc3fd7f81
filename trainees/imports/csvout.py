"""CSV downloads guarded against spreadsheet formula injection (defusedcsv)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from defusedcsv import csv
from django.http import HttpResponse


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    """A UTF-8 CSV (with BOM, so Excel reads accents) of ``header`` and ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
