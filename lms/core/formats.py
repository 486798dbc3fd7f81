"""Dates for people to read, in the active language's format ("3 décembre 2026 08:17").

ISO dates belong in files and APIs, never inside a sentence: every date a sentence or a
label shows goes through :func:`date_text` (or the template filter ``date:"DATE_FORMAT"``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


def date_text(value: dt.date | dt.datetime | str | None, *, short: bool = False) -> str:
    """``value`` in the locale's date (or date and time) format; "" for nothing. An ISO
    string (as filters are stored) is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
