"""Reading applications from CSV and JSON: what is read, and how bad input is reported."""

from __future__ import annotations

import json
import os
import threading
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

import callkit
from callkit import InputError
from callkit._readers import parse_number

if TYPE_CHECKING:
    from pathlib import Path

HEADER = "title,institution,partner_countries,requested_per_year,research,costs,rank\n"


def _csv(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _json(tmp_path: Path, data: object, name: str = "list.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class TestCsv:
    """CSV: a header row, one application per row."""

    def test_values(self, tmp_path: Path) -> None:
        """Lists split on ';', yes/no read as booleans, amounts as exact decimals."""
        path = _csv(
            tmp_path,
            HEADER + 'Ocean,UiB,Brasil; Sør-Afrika,"2 000 000",ja,mobility;workshop,1\n',
        )
        (app,) = callkit.read_applications(path)
        assert app.title == "Ocean"
        assert app.partner_countries == ("BR", "ZA")
        assert app.requested_per_year == Decimal(2_000_000)
        assert app.research is True
        assert app.costs == ("mobility", "workshop")
        assert app.rank == 1
        assert app.source == f"{path}:2"

    def test_byte_order_mark(self, tmp_path: Path) -> None:
        """A UTF-8 byte-order mark, as Excel writes it, is not part of the first heading."""
        path = tmp_path / "bom.csv"
        path.write_bytes("\ufefftitle,institution\nA,UiB\n".encode())
        assert callkit.read_applications(path)[0].title == "A"

    def test_norwegian_headings(self, tmp_path: Path) -> None:
        """The faculty list's Norwegian headings name the fields."""
        path = _csv(
            tmp_path,
            "Tittel på prosjekt,Institusjon,UiB-søker,Institutt,Land,Partnerinstitusjon\n"
            "Havdata,UiB,Kari,GFI,Kina,Peking University\n",
        )
        (app,) = callkit.read_applications(path)
        assert (app.title, app.applicant, app.department) == ("Havdata", "Kari", "GFI")
        assert app.partner_countries == ("CN",)
        assert app.partner_institutions == ("Peking University",)

    @pytest.mark.parametrize(
        ("cell", "code"),
        [
            ("NO", "NO"),
            ("nor", "NO"),
            ("Norway", "NO"),
            ("Norge", "NO"),
            ("USA", "US"),
            ("United States", "US"),
            ("Sør- Afrika", "ZA"),
            ("south korea", "KR"),
        ],
    )
    def test_country_spellings(self, tmp_path: Path, cell: str, code: str) -> None:
        """Codes (alpha-2, alpha-3) and English or Norwegian names all read."""
        path = _csv(tmp_path, f"title,institution,institution_country\nA,UiB,{cell}\n")
        assert callkit.read_applications(path)[0].institution_country == code

    def test_unknown_column_kept(self, tmp_path: Path) -> None:
        """A column callkit does not know is kept as extra data and warned about."""
        path = _csv(tmp_path, "title,institution,Budget note\nA,UiB,see annex\n")
        result = callkit.read_application_file(path)
        assert result.applications[0].extra == {"Budget note": "see annex"}
        assert any("Budget note" in w for w in result.warnings)

    def test_blank_rows_skipped(self, tmp_path: Path) -> None:
        """Empty rows are not applications; row numbers still match the spreadsheet."""
        path = _csv(tmp_path, "title,institution\nA,UiB\n,\n\nB,UiB\n")
        apps = callkit.read_applications(path)
        assert [a.source for a in apps] == [f"{path}:2", f"{path}:5"]


class TestJson:
    """JSON: a list of objects."""

    def test_values(self, tmp_path: Path) -> None:
        """Native numbers, booleans and arrays, and strings in the CSV forms."""
        path = _json(
            tmp_path,
            [
                {
                    "title": "A",
                    "institution": "UiB",
                    "partner_countries": ["IN", "Japan"],
                    "requested_per_year": 1500000,
                    "own_share": "2 500 000",
                    "research": True,
                    "education": "nei",
                    "costs": "mobility;course",
                },
            ],
        )
        (app,) = callkit.read_applications(path)
        assert app.partner_countries == ("IN", "JP")
        assert app.requested_per_year == Decimal(1_500_000)
        assert app.own_share == Decimal(2_500_000)
        assert (app.research, app.education) == (True, False)
        assert app.costs == ("mobility", "course")
        assert app.source == f"{path}:1"

    def test_not_a_list(self, tmp_path: Path) -> None:
        """An object at the top is an input error naming the file."""
        path = _json(tmp_path, {"title": "A"})
        with pytest.raises(InputError, match="expected a list"):
            callkit.read_applications(path)

    def test_item_not_an_object(self, tmp_path: Path) -> None:
        """A list item that is not an object is reported by its position, and kept."""
        path = _json(tmp_path, [{"title": "A", "institution": "UiB"}, 3])
        result = callkit.read_application_file(path)
        assert len(result.applications) == 2
        (problem,) = result.problems
        assert problem.row == 2

    def test_malformed(self, tmp_path: Path) -> None:
        """Text that is not JSON is an input error with its line and column."""
        path = tmp_path / "bad.json"
        path.write_text('[{"title": "A",]', encoding="utf-8")
        with pytest.raises(InputError, match=r"not valid JSON: .* line 1, column"):
            callkit.read_applications(path)


class TestBadInput:
    """Bad input: a clear error naming file, row and field; every problem at once."""

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is an InputError (a ValueError) naming the file."""
        path = tmp_path / "nowhere.csv"
        with pytest.raises(InputError) as caught:
            callkit.read_applications(path)
        assert isinstance(caught.value, ValueError)
        assert str(caught.value) == f"{path}: no such file"

    def test_missing_header(self, tmp_path: Path) -> None:
        """A header without 'title' or 'institution' says which column is missing."""
        path = _csv(tmp_path, "name,organisation\nA,UiB\n")
        with pytest.raises(InputError) as caught:
            callkit.read_applications(path)
        fields = {(p.row, p.field) for p in caught.value.problems}
        assert {(1, "title"), (1, "institution")} <= fields

    def test_empty_file(self, tmp_path: Path) -> None:
        """An empty file has no header row."""
        with pytest.raises(InputError, match="no header row"):
            callkit.read_applications(_csv(tmp_path, ""))

    def test_bad_number(self, tmp_path: Path) -> None:
        """A bad amount names file, row and field."""
        path = _csv(tmp_path, HEADER + "A,UiB,BR,two million,yes,,\n")
        with pytest.raises(InputError) as caught:
            callkit.read_applications(path)
        (problem,) = caught.value.problems
        assert (problem.file, problem.row, problem.field) == (str(path), 2, "requested_per_year")
        assert str(problem) == f"{path}:2: requested_per_year: 'two million' is not a number"

    def test_unknown_country(self, tmp_path: Path) -> None:
        """An unknown country suggests the nearest names."""
        path = _csv(tmp_path, HEADER + "A,UiB,Brazill,,yes,,\n")
        with pytest.raises(InputError, match=r"unknown country 'Brazill'; did you mean Brazil"):
            callkit.read_applications(path)

    def test_missing_title(self, tmp_path: Path) -> None:
        """A row without a title is an input error for that row."""
        path = _csv(tmp_path, HEADER + ",UiB,BR,,,,\n")
        with pytest.raises(InputError, match=r":2: title: the title is missing"):
            callkit.read_applications(path)

    def test_every_problem_at_once(self, tmp_path: Path) -> None:
        """All problems of a file are reported together, in row order."""
        path = _csv(
            tmp_path,
            HEADER + "A,UiB,Atlantis,x,maybe,,0\nB,UiB,BR,1,yes,,\n,UiB,,,,,\n",
        )
        result = callkit.read_application_file(path)
        assert [(p.row, p.field) for p in result.problems] == [
            (2, "partner_countries"),
            (2, "requested_per_year"),
            (2, "research"),
            (2, "rank"),
            (4, "title"),
        ]
        with pytest.raises(InputError, match="5 problems"):
            result.raise_for_problems()

    def test_every_row_kept(self, tmp_path: Path) -> None:
        """Rows with problems are still read, with what could be read of them."""
        path = _csv(tmp_path, HEADER + "A,UiB,Atlantis,1,yes,,\nB,UiB,BR,x,yes,,\n")
        result = callkit.read_application_file(path)
        assert [a.title for a in result.applications] == ["A", "B"]
        assert result.applications[0].requested_per_year == Decimal(1)
        assert result.applications[1].partner_countries == ("BR",)

    @pytest.mark.parametrize("cell", ["-5", "1e9", "NaN", "Infinity", "1.2.3"])
    def test_odd_numbers(self, tmp_path: Path, cell: str) -> None:
        """Negative numbers, exponents and non-finite values are not amounts."""
        path = _csv(tmp_path, HEADER + f"A,UiB,BR,{cell},yes,,\n")
        with pytest.raises(InputError, match="requested_per_year"):
            callkit.read_applications(path)

    def test_unknown_extension(self, tmp_path: Path) -> None:
        """A file callkit cannot read says which kinds it can."""
        path = tmp_path / "list.txt"
        path.write_text("x", encoding="utf-8")
        with pytest.raises(InputError, match=r"\.txt files; use one of \.csv, \.json"):
            callkit.read_applications(path)

    def test_windows_1252(self, tmp_path: Path) -> None:
        """A file Excel saved as Windows-1252 is read without being told so."""
        path = tmp_path / "excel.csv"
        path.write_bytes("title;institution;Land\nSør\u2013Nord;UiB;Sør-Afrika\n".encode("cp1252"))
        (app,) = callkit.read_applications(path)
        assert (app.title, app.partner_countries) == ("Sør\u2013Nord", ("ZA",))

    def test_neither_utf8_nor_windows_1252(self, tmp_path: Path) -> None:
        """Bytes that no detected encoding reads are an input error suggesting --encoding."""
        path = tmp_path / "odd.csv"
        path.write_bytes(b"title,institution\n\x81\xff,UiB\n")
        with pytest.raises(InputError, match=r"neither UTF-8 nor Windows-1252.*--encoding"):
            callkit.read_applications(path)

    def test_encoding_given(self, tmp_path: Path) -> None:
        """An encoding given outright is used, and its failures named."""
        path = tmp_path / "utf16.csv"
        path.write_bytes("title,institution\nØst,UiB\n".encode("utf-16"))
        assert callkit.read_applications(path, encoding="utf-16")[0].title == "Øst"
        with pytest.raises(InputError, match="is not ascii text"):
            callkit.read_applications(tmp_path / "utf16.csv", encoding="ascii")

    def test_delimiter_given(self, tmp_path: Path) -> None:
        """A delimiter given outright overrides the header's."""
        path = _csv(tmp_path, "title|institution|Beløp, NOK\nA|UiB|5\n")
        (app,) = callkit.read_applications(path, delimiter="|")
        assert (app.title, app.institution) == ("A", "UiB")


class TestReviewKeepsEveryRow:
    """A review reports every row read, the unreadable ones included."""

    def test_input_findings(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """A row with an unreadable cell appears with an 'input' error finding."""
        path = _csv(tmp_path, HEADER + "A,UiB,Atlantis,1,yes,,\nB,NTNU,BR,1,yes,,\n")
        result = callkit.read_application_file(path)
        review = intpart.review(result.applications, result.problems)
        assert [a.source for a in review.applications] == [f"{path}:2", f"{path}:3"]
        first = review.applications[0]
        assert first.findings[0].rule == "input"
        assert first.findings[0].field == "partner_countries"
        assert first.findings[0].source is None
        assert not first.ok


class TestNumbers:
    """Amounts as people write them, in Norway and elsewhere."""

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("2000000", "2000000"),
            ("2 000 000", "2000000"),
            ("2\u00a0000\u00a0000", "2000000"),
            ("2,000,000", "2000000"),
            ("2.000.000", "2000000"),
            ("2,000", "2000"),
            ("2.000", "2000"),
            ("1,5", "1.5"),
            ("1.5", "1.5"),
            ("0,125", "0.125"),
            ("2.000,50", "2000.50"),
            ("2,000.50", "2000.50"),
            ("1 234,56", "1234.56"),
        ],
    )
    def test_readable(self, text: str, value: str) -> None:
        """Digit groups by space, comma or point; a lone comma or point is the decimal mark."""
        assert parse_number(text) == Decimal(value)

    @pytest.mark.parametrize("text", ["1,234,5", "1,00,000", "12.345.67", "1e3", "-1", "", "x"])
    def test_unreadable(self, text: str) -> None:
        """Malformed groups, exponents and signs are not numbers."""
        assert parse_number(text) is None


class TestSeparators:
    """CSV files saved with semicolons or tabs, as some spreadsheets do."""

    @pytest.mark.parametrize("sep", [";", "\t"])
    def test_detected(self, tmp_path: Path, sep: str) -> None:
        """The header row tells the separator; lists in cells still split on ';'."""
        text = sep.join(["title", "institution", "requested_per_year"]) + "\n"
        text += sep.join(["Ocean", "UiB", "1,5"]) + "\n"
        (app,) = callkit.read_applications(_csv(tmp_path, text))
        assert (app.title, app.institution, app.requested_per_year) == (
            "Ocean",
            "UiB",
            Decimal("1.5"),
        )


class TestEachProblemOnce:
    """A problem is reported once, not again by the rules that miss the value."""

    def test_unreadable_cell(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """An unreadable partner country is an input error, not also a missing item."""
        path = _csv(tmp_path, HEADER + "A,UiB,Atlantis,1,yes,,\n")
        result = callkit.read_application_file(path)
        (report,) = intpart.review(result.applications, result.problems).applications
        fields = [(f.rule, f.field) for f in report.findings]
        assert ("input", "partner_countries") in fields
        assert [f for f in report.findings if f.field == "partner_countries"] == [
            report.findings[0]
        ]
        assert report.findings[0].message.startswith("partner_countries: unknown country")

    def test_missing_column_once(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """A missing column is one problem of the header row, kept in the review."""
        path = _csv(tmp_path, "title,faculty\nA,MN\nB,HF\n")
        result = callkit.read_application_file(path)
        assert [(p.row, p.field) for p in result.problems] == [(1, "institution")]
        review = intpart.review(result.applications, result.problems)
        assert len(review.applications) == 2
        assert review.problems == result.problems
        assert not review.ok
        assert review.to_dict()["problems"] == [
            {
                "file": str(path),
                "row": 1,
                "field": "institution",
                "message": "there is no 'institution' column in the header row",
            }
        ]


class TestHostileInput:
    """Input that could lose rows or crash a reader is reported instead."""

    def test_unterminated_quote(self, tmp_path: Path) -> None:
        """A quote left open does not swallow the rows after it."""
        path = _csv(tmp_path, 'title,institution,theme\nA,UiB,"open\nB,UiB,x\nC,UiB,y\n')
        with pytest.raises(InputError, match="not valid CSV"):
            callkit.read_application_file(path)

    @pytest.mark.parametrize("separator", ["\x85", "\u2028", "\x0c", "\x1e"])
    def test_line_separators_inside_cells(self, tmp_path: Path, separator: str) -> None:
        """Characters Python counts as line breaks do not split a row."""
        path = _csv(tmp_path, f"title,institution,theme\nA,UiB,one{separator}two\nC,UiB,y\n")
        apps = callkit.read_applications(path)
        assert [a.title for a in apps] == ["A", "C"]
        assert apps[0].theme == f"one{separator}two"
        assert apps[1].source == f"{path}:3"

    def test_trailing_empty_cells(self, tmp_path: Path) -> None:
        """A row ending in empty cells, as spreadsheets export it, is not a problem."""
        result = callkit.read_application_file(_csv(tmp_path, "title,institution\nA,UiB,,\n"))
        assert result.problems == ()

    def test_duplicate_json_keys(self, tmp_path: Path) -> None:
        """Two keys that give one field are reported, so no row changes institution quietly."""
        path = _json(tmp_path, [{"title": "A", "institution": "UiB", "Institusjon": "NTNU"}])
        (problem,) = callkit.read_application_file(path).problems
        assert problem.field == "institution"
        assert "'institution' and 'Institusjon'" in problem.message

    def test_duplicate_json_key_read_as_said(self, tmp_path: Path) -> None:
        """The message says only the later key is read, and so it is, even when empty."""
        path = _json(
            tmp_path, [{"title": "A", "faculty": "MN", "Fakultet": "", "institution": "UiB"}]
        )
        result = callkit.read_application_file(path)
        (problem,) = result.problems
        assert problem.message.endswith("only 'Fakultet' is read")
        assert result.applications[0].faculty is None

    def test_duplicate_unknown_columns(self, tmp_path: Path) -> None:
        """Two unknown columns of one name both keep their values."""
        path = _csv(tmp_path, "title,institution,Note,Note\nA,UiB,first,second\n")
        (app,) = callkit.read_applications(path)
        assert sorted(app.extra.values()) == ["first", "second"]

    def test_json_amounts_exact(self, tmp_path: Path) -> None:
        """JSON numbers are read as exact decimals, never through a float."""
        path = tmp_path / "exact.json"
        path.write_text(
            '[{"title": "A", "institution": "UiB", "requested_per_year": 2000000.0000000001}]',
            encoding="utf-8",
        )
        (app,) = callkit.read_applications(path)
        assert app.requested_per_year == Decimal("2000000.0000000001")

    @pytest.mark.parametrize(
        ("cell", "says"),
        [
            ("9" * 5000, "digits"),
            ("1" + "0" * 18, "digits"),
            ("0." + "0" * 18 + "1", "digits"),
        ],
    )
    def test_absurd_amounts(self, tmp_path: Path, cell: str, says: str) -> None:
        """Amounts with absurdly many digits are input errors, not crashes."""
        path = _json(tmp_path, [{"title": "A", "institution": "UiB"}])
        path.write_text(
            f'[{{"title": "A", "institution": "UiB", "own_share": {cell}}}]', encoding="utf-8"
        )
        with pytest.raises(InputError, match=says):
            callkit.read_applications(path)

    def test_absurd_rank(self, tmp_path: Path) -> None:
        """A rank beyond any faculty's list is an input error."""
        path = _csv(tmp_path, "title,institution,rank\nA,UiB,1000001\n")
        with pytest.raises(InputError, match="from 1 to 100000"):
            callkit.read_applications(path)

    def test_long_cell_in_message(self, tmp_path: Path) -> None:
        """A long unreadable cell is cut short in the message."""
        path = _csv(tmp_path, "title,institution,research\nA,UiB," + "x" * 10_000 + "\n")
        with pytest.raises(InputError) as caught:
            callkit.read_applications(path)
        assert len(str(caught.value)) < 300


class TestSeparatorInQuotes:
    """A quoted heading with commas in a semicolon file does not fool the separator."""

    def test_semicolon_with_comma_heading(self, tmp_path: Path) -> None:
        """'Beløp, NOK' in quotes leaves the separator a semicolon."""
        path = _csv(tmp_path, 'title;institution;"Beløp, NOK"\nA;UiB;5\n')
        (app,) = callkit.read_applications(path)
        assert (app.title, app.institution) == ("A", "UiB")


class TestPartlyReadRow:
    """A row with one unreadable cell is still checked for what could be read."""

    def test_other_missing_items_reported(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """An unknown partner country does not hide a missing department."""
        path = _csv(
            tmp_path,
            "title,institution,theme,applicant,qualifying_project,partner_countries,"
            "partner_institutions\nA,UiB,T,Per,X,Atlantis,USP\n",
        )
        result = callkit.read_application_file(path)
        (report,) = intpart.review(result.applications, result.problems).applications
        missing = [f.field for f in report.findings if f.rule == "required-field"]
        assert missing == ["department"]
        assert "required-field" not in report.passed


def _workbook(path: Path, rows: list[list[object]], *, sheet: str = "Søkere") -> Path:
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Forside"
    first.append(["Fakultetets liste over INTPART-søkere"])
    worksheet = book.create_sheet(sheet)
    for row in rows:
        worksheet.append(row)
    book.move_sheet(sheet, offset=-1)
    book.save(path)
    return path


class TestXlsx:
    """Faculty lists saved as Excel workbooks."""

    def test_values(self, tmp_path: Path) -> None:
        """Norwegian headings, numbers as numbers, booleans and text yes/no, empty rows."""
        path = _workbook(
            tmp_path / "liste.xlsx",
            [
                [
                    "Tittel på prosjekt",
                    "Institusjon",
                    "Land",
                    "requested_per_year",
                    "Forskning",
                    "Utdanning",
                    "Rangering",
                ],
                ["Havdata", "UiB", "Brasil; Japan", 2000000, True, "ja", 1],
                [None, None, None, None, None, None, None],
                ["Arktis", "UiB", "Canada", "1 500 000,50", False, "nei", 2],
            ],
        )
        first, second = callkit.read_applications(path)
        assert (first.title, first.partner_countries, first.requested_per_year) == (
            "Havdata",
            ("BR", "JP"),
            Decimal(2000000),
        )
        assert (first.research, first.education, first.rank) == (True, True, 1)
        assert second.requested_per_year == Decimal("1500000.50")
        assert second.source == f"{path}:4"

    def test_named_sheet(self, tmp_path: Path) -> None:
        """--sheet reads another sheet; an unknown one names those there are."""
        path = _workbook(tmp_path / "liste.xlsx", [["title", "institution"], ["A", "UiB"]])
        result = callkit.read_application_file(path, sheet="Søkere")
        assert [a.title for a in result.applications] == ["A"]
        with pytest.raises(InputError, match=r"no sheet 'Ark1'; its sheets: 'Søkere', 'Forside'"):
            callkit.read_application_file(path, sheet="Ark1")

    def test_problems_name_rows(self, tmp_path: Path) -> None:
        """A bad cell in a workbook names its row as Excel numbers it."""
        path = _workbook(
            tmp_path / "liste.xlsx",
            [["title", "institution", "partner_countries"], ["A", "UiB", "Atlantis"]],
        )
        (problem,) = callkit.read_application_file(path).problems
        assert (problem.row, problem.field) == (2, "partner_countries")

    def test_not_a_workbook(self, tmp_path: Path) -> None:
        """A file named .xlsx that is not a workbook is an input error."""
        path = tmp_path / "fake.xlsx"
        path.write_text("title,institution\nA,UiB\n", encoding="utf-8")
        with pytest.raises(InputError, match="is not an Excel workbook"):
            callkit.read_applications(path)


class TestStream:
    """Reading a file row by row, as ``callkit check --format jsonl`` does."""

    def test_rows_with_their_problems(self, tmp_path: Path) -> None:
        """The header's problems come on opening, each row's with the row."""
        path = _csv(tmp_path, "title,partner_countries\nA,Atlantis\nB,BR\n")
        with callkit.open_application_file(path) as stream:
            assert [(p.row, p.field) for p in stream.problems] == [(1, "institution")]
            first, second = stream
        assert first.application.title == "A"
        assert [(p.file, p.row, p.field) for p in first.problems] == [
            (str(path), 2, "partner_countries")
        ]
        assert (second.application.partner_countries, second.problems) == (("BR",), ())

    def test_same_as_whole(self, tmp_path: Path) -> None:
        """The rows and problems are those of reading the file whole, in the same order."""
        path = _csv(tmp_path, HEADER + "A,UiB,Atlantis,x,maybe,,0\n\nB,UiB,BR,1,yes,,\n,UiB,,,,,\n")
        whole = callkit.read_application_file(path)
        with callkit.open_application_file(path) as stream:
            rows = list(stream)
        assert tuple(r.application for r in rows) == whole.applications
        assert tuple(p for r in rows for p in r.problems) == whole.problems

    def test_invalid_further_down(self, tmp_path: Path) -> None:
        """CSV that stops being valid gives the rows before it, then an InputError."""
        path = _csv(tmp_path, 'title,institution,theme\nA,UiB,x\nB,UiB,"open\n')
        with callkit.open_application_file(path) as stream:
            rows = iter(stream)
            assert next(rows).application.title == "A"
            with pytest.raises(InputError, match="not valid CSV"):
                next(rows)

    def test_json(self, tmp_path: Path) -> None:
        """JSON streams its records one at a time, with its warnings known on opening."""
        path = _json(tmp_path, [{"title": "A", "institution": "UiB", "Note": "x"}, 5])
        with callkit.open_application_file(path) as stream:
            assert stream.warnings == (f"{path}: unknown key 'Note', kept as extra data",)
            first, second = stream
        assert first.application.extra == {"Note": "x"}
        assert [p.message for p in second.problems] == ["expected an object"]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
    @pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
    def test_pipe(self, tmp_path: Path, encoding: str) -> None:
        """A named pipe, which cannot be read twice, is read with its encoding detected."""
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
        data = "title;institution;Land\nSør;UiB;Sør-Afrika\n".encode(encoding)
        writer = threading.Thread(target=path.write_bytes, args=(data,))
        writer.start()
        try:
            (app,) = callkit.read_applications(path)
        finally:
            writer.join()
        assert (app.title, app.partner_countries) == ("Sør", ("ZA",))

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
    def test_pipe_changes_encoding(self, tmp_path: Path) -> None:
        """A pipe whose bytes stop being the encoding its start showed: an InputError."""
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
        rows = "".join(f"Søknad {n},UiB\n" for n in range(20_000))
        data = ("title,institution\n" + rows).encode() + b"\xff\xfe,UiB\n"
        writer = threading.Thread(target=path.write_bytes, args=(data,))
        writer.start()
        try:
            with pytest.raises(InputError, match=r"is not UTF-8 text further on.*--encoding"):
                callkit.read_applications(path)
        finally:
            writer.join()
