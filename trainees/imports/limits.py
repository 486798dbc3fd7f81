"""What a roster file may unpack to, checked before any parser opens it.

An Excel file (.xlsx) is a zip archive: a 400 KB file can hold shared strings that inflate to
400 MB, and openpyxl reads them all into memory. The upload limit counts compressed bytes, so
the archive's table of contents is read first (it states each member's inflated size, and
Python's zip reader never inflates a member beyond the size stated): too many members, too
many bytes once inflated, or a compression no spreadsheet of names reaches, and the file is
refused with the limit named, in milliseconds and without inflating anything. The row and
column caps that bound the parsing itself are applied by :mod:`.parsing` as it reads.
"""

from __future__ import annotations

import io
import zipfile

from .problems import Problem

__all__ = [
    "MAX_COLUMNS",
    "MAX_INFLATED_BYTES",
    "MAX_LINE_CHARS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "archive_problem",
]

#: A roster has a dozen columns; two hundred leaves room for any spreadsheet a trainer keeps.
MAX_COLUMNS = 200
#: A CSV line (one row) longer than this is no roster row.
MAX_LINE_CHARS = 100_000
#: A 20,000-row roster of fifteen columns unpacks to about 12 MB.
MAX_INFLATED_BYTES = 32 * 1024 * 1024
#: Spreadsheet XML compresses 5 to 30 times; a bomb, thousands of times.
MAX_RATIO = 100
#: Members smaller than this are not held to the ratio (tiny files compress oddly).
RATIO_FROM_BYTES = 1024 * 1024
#: An .xlsx has a dozen members, one more per sheet, image or comment.
MAX_MEMBERS = 1_000


def archive_problem(data: bytes) -> Problem | None:
    """The problem with a zip archive's stated contents, or ``None`` when they are within the
    limits (or the bytes are no zip archive: the parser says what they are)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return Problem("file_not_table") if data.startswith(b"PK\x03\x04") else None
    with archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return Problem("file_too_many_parts", {"limit": MAX_MEMBERS})
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_INFLATED_BYTES:
        return Problem("file_inflates_too_much", {"limit": MAX_INFLATED_BYTES // (1024 * 1024)})
    for member in members:
        if member.file_size >= RATIO_FROM_BYTES and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            return Problem("file_compression_ratio", {"limit": MAX_RATIO})
    return None
