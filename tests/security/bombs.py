"""Hostile roster files, built as an attacker would: a real .xlsx whose shared strings inflate
far beyond the upload limit, a member compressed thousands to one, a sheet that claims 16,384
columns. Used by tests/security/test_upload_bombs.py and bench/upload_bombs.py."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

_STRING = b"<si><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></si>"


def roster_xlsx(rows=(("Nom", "Prénom"), ("Traoré", "Awa"))) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rewrite(data: bytes, replace) -> bytes:
    """The archive with each member passed through ``replace(name, member_bytes, writer)``,
    which writes the member itself (or returns False to have it copied)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if not replace(info.filename, content, target):
                target.writestr(info.filename, content)
    return out.getvalue()


def shared_strings_bomb(inflated_mb: int) -> bytes:
    """A valid .xlsx whose shared strings (read whole by openpyxl when it opens the workbook)
    inflate to ``inflated_mb`` megabytes."""
    count = inflated_mb * 1024 * 1024 // len(_STRING)
    chunk = _STRING * 4096
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )

    def replace(name, content, target):
        if name != "[Content_Types].xml":
            return False
        target.writestr(name, content.replace(b"</Types>", override + b"</Types>"))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                b'.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, count)
            )
            for _ in range(count // 4096):
                member.write(chunk)
            member.write(b"</sst>")
        return True

    return _rewrite(roster_xlsx(), replace)


def ratio_bomb(inflated_mb: int = 8) -> bytes:
    """A valid .xlsx with a worksheet padded by a comment that compresses over 1,000 to 1."""

    def replace(name, content, target):
        if name != "xl/worksheets/sheet1.xml":
            return False
        padding = b"<!--" + b" " * (inflated_mb * 1024 * 1024) + b"-->"
        target.writestr(name, content.replace(b"<sheetData>", padding + b"<sheetData>", 1))
        return True

    return _rewrite(roster_xlsx(), replace)


def dimension_claim(ref: str = "A1:XFD20000") -> bytes:
    """A small .xlsx whose sheet claims the dimension ``ref``."""

    def replace(name, content, target):
        if name != "xl/worksheets/sheet1.xml":
            return False
        target.writestr(
            name, re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content)
        )
        return True

    return _rewrite(roster_xlsx(), replace)
