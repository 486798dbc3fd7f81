"""The shared renderer: spreadsheet formula injection is neutralised in CSV and XLSX."""

import io

from openpyxl import load_workbook

from trainees.reports.render import csv_render, xlsx_render

EVIL = '=HYPERLINK("http://evil.example","click")'


def test_csv_neutralises_formulas():
    text = csv_render([("Organisations", [["Name", "People"], [EVIL, 3], ["+1+1", 2]])])
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=" not in text
    assert "'+1+1,2" in text


def test_xlsx_neutralises_formulas_and_keeps_numbers():
    data = xlsx_render([("Organisations", [["Name", "People"], [EVIL, 3]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cell = sheet["A3"]
    assert cell.data_type == "s" and cell.value == "'" + EVIL
    assert sheet["B3"].value == 3 and sheet["B3"].data_type == "n"


def test_xlsx_sheet_names_are_valid_and_unique():
    data = xlsx_render([("People: by/sex?" * 3, [["a"]]), ("People: by/sex?" * 3, [["b"]])])
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
