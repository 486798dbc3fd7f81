"""Problems found in a roster file, stored as code + params and rendered in the reader's language.

The preview runs in a background task, in no particular language; the trainer who reads the
errors may switch between French and English. So a problem is kept as a stable code with
JSON parameters, and :func:`problem_message` renders it with the active language when shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

__all__ = ["ERROR", "MESSAGES", "WARNING", "Problem", "problem_message"]

MESSAGES = {
    # the file as a whole
    "file_empty": _("The file is empty: it has no header row and no trainee rows."),
    "file_no_rows": _("The file has a header row but no trainee rows."),
    "file_not_table": _(
        "This file is not a table: upload a spreadsheet saved as CSV or Excel (.xlsx)."
    ),
    "file_xls": _(
        "Old Excel files (.xls) cannot be read: save the file as Excel (.xlsx) or CSV and "
        "upload it again."
    ),
    "file_too_many_rows": _(
        "The file has more than %(limit)s rows: split it into files of at most %(limit)s rows."
    ),
    "file_too_large": _("The file is larger than %(limit)s MB: split it into smaller files."),
    "file_inflates_too_much": _(
        "Once unpacked, the file would be larger than %(limit)s MB, far more than a roster: "
        "it was not opened. Save the roster again as Excel (.xlsx) or CSV, or split it."
    ),
    "file_compression_ratio": _(
        "The file is compressed more than %(limit)s to 1, as no roster is: it was not opened. "
        "Save the roster again as Excel (.xlsx) or CSV."
    ),
    "file_too_many_parts": _(
        "The file holds more than %(limit)s parts, as no roster does: it was not opened."
    ),
    "file_too_many_columns": _(
        "The file has values in more than %(limit)s columns: a roster has one trainee per row "
        "and a column for each detail."
    ),
    "file_line_too_long": _(
        "Line %(row)s of the file is longer than %(limit)s characters: a roster has one "
        "trainee per line."
    ),
    "file_no_name_column": _(
        "No column holds the names: map a column to “Full name” or to “Family name” and "
        "“Given names”."
    ),
    "file_columns_unknown": _(
        "These columns were not recognised: %(columns)s. Say what each one holds, or ignore it."
    ),
    "file_column_twice": _("Two columns are mapped to “%(field)s”: %(columns)s."),
    "column_unreadable": _(
        "No cell of the column “%(column)s” could be read as “%(field)s”: the column was left "
        "empty. Check what it holds and change the columns if it is something else."
    ),
    "confirm_running": _(
        "This file is being imported into this event right now: once that import is done, "
        "confirming this one changes nothing."
    ),
    "confirm_stalled_same_file": _(
        "This file was being imported into this event, but that import stopped before "
        "anything was written: confirming this one imports the file."
    ),
    "confirm_failed": _(
        "The import could not be written and nothing was written. Confirm it again; if it "
        "fails again, tell an administrator."
    ),
    # one row
    "row_no_name": _("No name on this row: the row is left out."),
    "name_sentence": _("“%(value)s” is not a name (a sentence?): the row is left out."),
    "name_one": _(
        "Only one name (“%(value)s”): imported and matched on what the row gives; add the "
        "other name if it is known."
    ),
    "name_split_unsure": _(
        "“%(value)s” was split into given names “%(given)s” and family name “%(family)s”: "
        "check the order."
    ),
    # one cell
    "required": _("%(field)s: a value is required."),
    "date_invalid": _(
        "“%(value)s” is not a date (write day/month/year, e.g. 25/03/1990): left empty."
    ),
    "date_impossible": _("“%(value)s” is an impossible date (there is no such day): left empty."),
    "date_two_digit_year": _("“%(value)s”: the two-digit year was read as %(year)s; check it."),
    "date_placeholder": _("%(value)s stands for an unknown day: only the year %(year)s was kept."),
    "birth_date_future": _("The date of birth %(value)s is in the future: left empty."),
    "birth_date_after_event": _("The date of birth %(value)s is after the training: left empty."),
    "birth_date_too_old": _("The date of birth %(value)s is before 1920: left empty."),
    "birth_year_invalid": _(
        "“%(value)s” is not a year (write four digits, e.g. 1990): left empty."
    ),
    "birth_year_future": _("The year of birth %(value)s is in the future: left empty."),
    "birth_year_too_old": _("The year of birth %(value)s is before 1920: left empty."),
    "age_invalid": _("“%(value)s” is not an age between 5 and 100: left empty."),
    "sex_invalid": _(
        "“%(value)s” is not a sex (write F or M, femme/homme, female/male): left empty."
    ),
    "outcome_invalid": _(
        "“%(value)s” is not a result (présent/attended, terminé/completed, réussi/passed or "
        "échoué/failed): the import's default result was used."
    ),
    "score_invalid": _("“%(value)s” is not a score between 0 and 100: left empty."),
    "phone_text": _("“%(value)s” is not a phone number: left out."),
    "national_id_format": _(
        "National ID “%(value)s” is not valid (4 to 20 letters and digits, at least one "
        "digit): left out."
    ),
    "national_id_country_unknown": _(
        "National ID “%(value)s”: the roster does not say which country issued it; recorded "
        "with the country unknown."
    ),
    "country_invalid": _("“%(value)s” is not a country the platform knows: left empty."),
    "cell_left_empty": _("This cell could not be read and was left empty."),
    "nina_format": _("NINA “%(value)s” is not valid: a NINA has 14 digits followed by one letter."),
    "passport_format": _(
        "Passport number “%(value)s” is not valid: expected 6 to 9 letters and digits, with "
        "at least one digit."
    ),
    "service_number_format": _(
        "Service number “%(value)s” is not valid: expected 3 to 20 letters and digits, with "
        "at least one digit."
    ),
    "un_index_format": _("UN index number “%(value)s” is not valid: expected 5 to 10 digits."),
    "phone_characters": _(
        "Phone number “%(value)s” contains characters other than digits, spaces, dots, "
        "dashes and a leading +."
    ),
    "phone_length": _(
        "Phone number “%(value)s” is not valid: a Malian number has 8 digits after the "
        "optional +223."
    ),
    "phone_prefix": _(
        "Phone number “%(value)s” is not a Malian number: it starts with 2, 4, 5, 6, 7, 8 or 9."
    ),
    "value_too_long": _("The value is longer than %(limit)s characters."),
}


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """One problem: ``row`` is the spreadsheet row number (1 = header), ``column`` the header
    as written in the file; both are ``None`` for a problem with the whole file.

    ``level``: an ``error`` on a row leaves that row out (a row with no name); on the file,
    it stops the import (not a table, no header, over the limits). A ``warning`` stops
    nothing: the cell was read another way or left empty, and the trainer is told.
    """

    code: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str | None = None
    level: str = ERROR

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(
            data["code"],
            dict(data.get("params") or {}),
            data.get("row"),
            data.get("column"),
            data.get("level") or ERROR,
        )

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def message(self) -> str:
        text = problem_message(self.code, self.params)
        if self.level == WARNING and self.code in _LEFT_OUT:
            text = " ".join((text, str(_("It was left out."))))
        return text


#: Messages that say what is wrong but not what was done: a warning adds "left out".
_LEFT_OUT = frozenset(
    {
        "nina_format",
        "passport_format",
        "service_number_format",
        "un_index_format",
        "phone_characters",
        "phone_length",
        "phone_prefix",
        "value_too_long",
    }
)


def problem_message(code: str, params: dict | None = None) -> str:
    """The message for ``code`` in the active language (field names translated too)."""
    from .columns import field_label

    params = dict(params or {})
    if "field" in params:
        params["field"] = field_label(params["field"])
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
