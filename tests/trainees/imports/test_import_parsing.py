import io
from datetime import date

import pytest
from openpyxl import Workbook

from trainees.imports.parsing import MAX_ROWS, FileProblem, read_table


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problem_code(data: bytes, name: str = "roster.csv") -> str:
    with pytest.raises(FileProblem) as caught:
        read_table(data, name)
    return caught.value.problem.code


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("Nom;Prénom\nTraoré;Awa\n".encode("cp1252"), "cp1252", ";"),
        ("Nom;Prénom\nTraoré;Awa\n".encode(), "utf-8", ";"),
        ("\ufeffNom,Prénom\nTraoré,Awa\n".encode(), "utf-8-sig", ","),
        ("Nom\tPrénom\r\nTraoré\tAwa\r\n".encode(), "utf-8", "\t"),
    ],
)
def test_csv_encodings_and_delimiters_are_sniffed(data, encoding, delimiter):
    table = read_table(data, "roster.csv")
    assert table.headers == ["Nom", "Prénom"]
    assert table.rows == [(2, ["Traoré", "Awa"])]
    assert (table.encoding, table.delimiter) == (encoding, delimiter)


def test_semicolon_file_with_commas_inside_values():
    data = "Nom complet;Organisation\nTraoré Awa;ONG, Gao\nKeita Moussa;FAMa\n".encode()
    table = read_table(data)
    assert table.rows[0] == (2, ["Traoré Awa", "ONG, Gao"])


def test_xlsx_with_title_row_and_date_cells():
    data = xlsx(
        [
            ["Liste de présence - formation EOD"],
            [],
            ["Nom", "Prénom", "Date de naissance"],
            ["Traoré", "Awa", date(1990, 3, 25)],
            [None, None, None],
            ["Keita", "Moussa", "1985"],
        ]
    )
    table = read_table(data, "liste.xlsx")
    assert table.header_row == 3
    assert table.headers == ["Nom", "Prénom", "Date de naissance"]
    assert table.rows == [
        (4, ["Traoré", "Awa", date(1990, 3, 25)]),
        (6, ["Keita", "Moussa", "1985"]),
    ]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "roster.csv", "file_empty"),
        (b"  \n\n ;; \n", "roster.csv", "file_empty"),
        (b"Nom;Prenom\n", "roster.csv", "file_no_rows"),
        (b"%PDF-1.4\x00\x01\x02 binary", "roster.csv", "file_not_table"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "file_not_table"),
        (b"Dear trainer,\nplease find the list.\n", "letter.txt", "file_not_table"),
        (b"PK\x03\x04 not really a zip", "roster.xlsx", "file_not_table"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "file_xls"),
    ],
)
def test_files_that_are_not_rosters_give_a_file_problem(data, name, code):
    assert problem_code(data, name) == code


def test_row_limit_is_stated():
    body = "".join(f"Traoré{i};Awa\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(FileProblem) as caught:
        read_table(("Nom;Prénom\n" + body).encode())
    assert caught.value.problem.code == "file_too_many_rows"
    assert caught.value.problem.params == {"limit": MAX_ROWS}


def test_exactly_the_row_limit_is_accepted():
    body = "".join(f"Traoré{i};Awa\n" for i in range(MAX_ROWS))
    assert len(read_table(("Nom;Prénom\n" + body).encode()).rows) == MAX_ROWS
