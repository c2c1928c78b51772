"""Hostile input: what a careless export or a malicious file may hold.

Huge cells, odd bytes, formulas, deep nesting, absurd numbers and dates, odd shapes: each
gets a clear error naming file, row and field, or a correct report with every row, and
neither takes long nor quotes a huge value back. Big inputs are built in one go, and
"bounded" is asserted as "completes, and the message is short", never as a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
import sys
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from openpyxl import Workbook, load_workbook

import callkit
from callkit import InputError, InputProblem
from callkit._cli import main
from callkit._writers import to_csv, to_markdown, to_xlsx

if TYPE_CHECKING:
    from pathlib import Path

TEN_MILLION = 10_000_000
SHORT = 300
"""The most characters a message about one cell, or one line on standard error, may have."""


def _file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _json(tmp_path: Path, records: list[dict[str, Any]], name: str = "list.json") -> Path:
    return _file(tmp_path, name, json.dumps(records, ensure_ascii=False))


def _workbook(tmp_path: Path, rows: list[list[Any]], name: str = "list.xlsx") -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``callkit check intpart-2022 ARGV`` in this process: status, stdout, stderr."""
    status = main(["check", "intpart-2022", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _one_line_each(err: str, path: Path) -> list[str]:
    """The error lines of *err*, each checked to be one short line naming *path*."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("callkit: ") for line in lines), lines[:3]
    assert all(len(line) <= SHORT for line in lines), max(map(len, lines))
    errors = [line for line in lines if line.startswith("callkit: error: ")]
    assert all(line.startswith(f"callkit: error: {path}") for line in errors), errors[:3]
    return errors


def _read(path: Path) -> callkit.ApplicationFile | InputError:
    """What is read from *path*, or the error that refuses it."""
    try:
        return callkit.read_application_file(path)
    except InputError as error:
        return error


def _only(problems: tuple[InputProblem, ...]) -> InputProblem:
    (problem,) = problems
    assert len(str(problem)) <= SHORT
    return problem


class TestHugeCell:
    """A cell of ten million characters: a short message saying where, the rest still read."""

    def test_csv_beyond_what_a_parser_takes(self, tmp_path: Path) -> None:
        """The whole file is refused, naming the row, and saying what may have happened."""
        path = _file(tmp_path, "list.csv", "title,institution\n" + "x" * TEN_MILLION + ",UiB\n")
        with pytest.raises(InputError) as caught:
            callkit.read_application_file(path)
        problem = _only(caught.value.problems)
        assert (problem.file, problem.row) == (str(path), 2)
        assert "a cell has more than 131072 characters" in problem.message
        assert "quotation mark left open" in problem.message

    def test_csv_longer_than_a_spreadsheet_cell(self, tmp_path: Path) -> None:
        """A cell too long for a spreadsheet is a problem of its own; its row and the rest stay."""
        text = "title,institution,theme\nA,UiB," + "t" * 100_000 + "\nB,UiB,Ocean\n"
        result = callkit.read_application_file(_file(tmp_path, "list.csv", text))
        problem = _only(result.problems)
        assert (problem.row, problem.field) == (2, "theme")
        assert problem.message == "the cell has 100000 characters, more than the 32767 a cell holds"
        assert [(a.title, a.theme) for a in result.applications] == [("A", None), ("B", "Ocean")]

    @pytest.mark.parametrize(
        "field",
        ["title", "institution", "partner_countries", "requested_per_year", "research", "costs"],
    )
    def test_json(self, tmp_path: Path, intpart: callkit.Call, field: str) -> None:
        """In any field, the cell is named, its row is reported, and nothing else is lost."""
        record = {"title": "A", "institution": "UiB", field: "x" * TEN_MILLION}
        path = _json(tmp_path, [record, {"title": "B", "institution": "UiB"}])
        result = callkit.read_application_file(path)
        problem = _only(result.problems)
        assert (problem.file, problem.row, problem.field) == (str(path), 1, field)
        assert "10000000 characters" in problem.message
        review = intpart.review(result.applications, result.problems)
        assert [r.source for r in review.applications] == [f"{path}:1", f"{path}:2"]
        assert all(len(f.message) <= SHORT for r in review.applications for f in r.findings)

    def test_json_list_item(self, tmp_path: Path) -> None:
        """A huge item of a list is found as well."""
        record = {"title": "A", "institution": "UiB", "partner_institutions": ["USP", "y" * 40_000]}
        problem = _only(callkit.read_application_file(_json(tmp_path, [record])).problems)
        assert (problem.row, problem.field) == (1, "partner_institutions")

    def test_json_unknown_key(self, tmp_path: Path) -> None:
        """A huge key is named in a short warning; a huge value under an unknown key is kept.

        Nothing read is lost, even what callkit does not know.
        """
        record = {"title": "A", "institution": "UiB", "k" * TEN_MILLION: 1, "note": "n" * 40_000}
        result = callkit.read_application_file(_json(tmp_path, [record]))
        assert result.problems == ()
        assert all(len(w) <= SHORT for w in result.warnings)
        assert any("unknown key 'kkkk" in w for w in result.warnings)
        assert result.applications[0].extra["note"] == "n" * 40_000

    def test_xlsx(self, tmp_path: Path) -> None:
        """A workbook cell that holds more than Excel allows is a problem of that cell."""
        path = _workbook(
            tmp_path, [["title", "institution", "research"], ["A", "UiB", "x" * TEN_MILLION]]
        )
        problem = _only(callkit.read_application_file(path).problems)
        assert (problem.row, problem.field) == (2, "research")

    def test_long_heading(self, tmp_path: Path) -> None:
        """A long heading, and one repeated, are quoted short."""
        heading = "h" * 100_000
        text = f"title,institution,{heading},{heading},Tittel\nA,UiB,1,2,B\n"
        result = callkit.read_application_file(_file(tmp_path, "list.csv", text))
        assert all(len(w) <= SHORT for w in result.warnings)
        assert len(result.warnings) == 2
        problem = _only(result.problems)
        assert problem.message == "the columns 'title' and 'Tittel' both give the title"

    def test_findings_quote_values_short(self, intpart: callkit.Call) -> None:
        """A finding quotes a long value from an application cut short."""
        long = "v" * 30_000
        application = callkit.Application(
            title=long,
            institution=long,
            institution_type=long,
            qualifying_scheme=long,
            costs=(long,),
            faculty=long,
            rank=1,
        )
        report = intpart.check(application)
        rules = {"applicant-institution", "qualifying-funding", "ineligible-cost"}
        assert {f.rule for f in report.findings} >= rules
        assert all(len(f.message) <= 2 * SHORT for f in report.findings)
        assert any("'vvvvvvvvvv" in f.message and "...'" in f.message for f in report.findings)

    def test_command(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """``check`` says so in one short line per problem, and writes the report."""
        path = _json(tmp_path, [{"title": "A", "institution": "UiB", "theme": "x" * TEN_MILLION}])
        status, out, err = _check(capsys, str(path), "--format", "csv")
        assert status == 2
        (line,) = _one_line_each(err, path)
        assert line.startswith(f"callkit: error: {path}:1: theme: the cell has 10000000")
        assert len(out) < 5_000


class TestOddCharacters:
    """NUL bytes, byte-order marks, bytes that are not UTF-8, lone surrogates."""

    def test_nul_in_a_cell(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """A NUL is kept as the text it is in; every report can hold it."""
        path = _file(tmp_path, "list.csv", "title,institution\nA\x00B,UiB\nC,UiB\n")
        result = callkit.read_application_file(path)
        assert [a.title for a in result.applications] == ["A\x00B", "C"]
        review = intpart.review(result.applications)
        assert "A\x00B" in to_csv(review)
        assert "| A\x00B |" in to_markdown(review, intpart)
        book = load_workbook(io.BytesIO(to_xlsx(review, intpart)))
        assert book["Applications"]["B2"].value == "A\\x00B"

    def test_nul_in_the_header(self, tmp_path: Path) -> None:
        """A heading with a NUL is no heading callkit knows: said so, with the NUL shown."""
        path = _file(tmp_path, "list.csv", "ti\x00tle,institution\nA,UiB\n")
        result = callkit.read_application_file(path)
        problem = _only(result.problems)
        assert (problem.row, problem.field) == (1, "title")
        assert problem.message == "there is no 'title' column in the header row"
        assert result.warnings == (f"{path}: unknown column 'ti\\x00tle', kept as extra data",)

    def test_byte_order_marks_inside(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """A byte-order mark where two files were joined is no part of a heading or a cell."""
        text = "\ufefftitle,\ufeffinstitution\n\ufeffA,UiB\ufeff\n"
        raw = b"\xef\xbb\xbf" + text.encode("utf-8")
        result = callkit.read_application_file(_file(tmp_path, "list.csv", raw))
        assert (result.problems, result.warnings) == ((), ())
        (application,) = result.applications
        assert (application.title, application.institution) == ("A", "UiB")
        assert intpart.check(application).institution == "UiB"  # its policy applies

    def test_utf16(self, tmp_path: Path) -> None:
        """UTF-16 with its byte-order mark, as Excel saves "Unicode text", is read."""
        raw = "title\tinstitution\nÅsgård\tUiB\n".encode("utf-16")
        (application,) = callkit.read_applications(_file(tmp_path, "list.csv", raw))
        assert application.title == "Åsgård"

    @pytest.mark.parametrize(
        ("raw", "title"),
        [
            (b"Caf\xe9", "Café"),  # Windows-1252
            (b"A\xed\xa0\x80", "A\xed\xa0€"),  # a surrogate in UTF-8 form: not UTF-8
            (b"\xc3", "Ã"),  # a sequence cut short
        ],
    )
    def test_not_utf8(self, tmp_path: Path, raw: bytes, title: str) -> None:
        """Bytes that are not UTF-8 are read as Windows-1252, as Excel in Norway saves."""
        path = _file(tmp_path, "list.csv", b"title,institution\n" + raw + b",UiB\n")
        (application,) = callkit.read_applications(path)
        assert application.title == title

    def test_neither_utf8_nor_windows_1252(self, tmp_path: Path) -> None:
        """Bytes no encoding callkit detects holds are refused, naming the first of them."""
        path = _file(tmp_path, "list.csv", b"title,institution\nA\x81,UiB\n")
        with pytest.raises(InputError) as caught:
            callkit.read_application_file(path)
        assert _only(caught.value.problems).message.startswith(
            "is neither UTF-8 nor Windows-1252 text (byte 20)"
        )

    @pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown", "xlsx"])
    def test_lone_surrogate(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
    ) -> None:
        """A lone surrogate, as JSON may escape one, is written as its escape in every report."""
        path = _file(tmp_path, "list.json", '[{"title": "A\\ud800", "institution": "UiB"}]')
        (application,) = callkit.read_applications(path)
        assert application.title == "A\ud800"
        target = tmp_path / f"report.{fmt}"
        status, _, err = _check(capsys, str(path), "--format", fmt, "--output", str(target))
        assert status == 1
        _one_line_each(err, path)
        if fmt == "xlsx":
            assert load_workbook(target)["Applications"]["B2"].value == "A\\ud800"
        elif fmt == "json":
            report = json.loads(target.read_text(encoding="utf-8"))
            assert report["applications"][0]["title"] == "A\ud800"
        else:
            assert "A\\ud800" in target.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("\x1b[2J", "\\x1b[2J"),
            ("\x0c", "\\x0c"),
            ("\x08", "\\x08"),
            ("\ufffe", "\\ufffe"),
            ("\udfff", "\\udfff"),
            ("\t\x7f\x85", "\t\x7f\x85"),
        ],
    )
    def test_what_a_workbook_cannot_hold(
        self, intpart: callkit.Call, text: str, shown: str
    ) -> None:
        """A character XML cannot hold is written as its escape, and the workbook opens."""
        application = callkit.Application(title=f"A{text}B", institution="UiB")
        data = to_xlsx(intpart.review([application]), intpart)
        assert load_workbook(io.BytesIO(data))["Applications"]["B2"].value == f"A{shown}B"


FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


class TestFormulas:
    """Text that a spreadsheet would run as a formula stays text in every report."""

    @pytest.fixture
    def review(self, intpart: callkit.Call) -> callkit.Review:
        """One application per formula, in the title and the faculty."""
        return intpart.review(
            [callkit.Application(title=f, institution="UiB", faculty=f) for f in FORMULAS]
        )

    def test_csv(self, review: callkit.Review) -> None:
        """Behind an apostrophe, in every column that holds text from the input."""
        rows = list(csv.DictReader(io.StringIO(to_csv(review))))
        assert [r["title"] for r in rows] == ["'" + f for f in FORMULAS]
        assert [r["faculty"] for r in rows] == ["'" + f for f in FORMULAS]

    def test_xlsx(self, review: callkit.Review, intpart: callkit.Call) -> None:
        """As text cells, never formula cells."""
        sheet = load_workbook(io.BytesIO(to_xlsx(review, intpart)))["Applications"]
        cells = [row[1] for row in sheet.iter_rows(min_row=2)]
        assert [c.data_type for c in cells] == ["s"] * len(FORMULAS)
        assert [c.value for c in cells[:4]] == FORMULAS[:4]
        assert all(str(c.value).strip().startswith("=") for c in cells[4:])

    def test_from_a_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Read from a CSV file and written by ``check``, the formula stays text."""
        out = io.StringIO()
        csv.writer(out).writerows([["title", "institution"], *[[f, "UiB"] for f in FORMULAS]])
        path = _file(tmp_path, "list.csv", out.getvalue())
        _, text, _ = _check(capsys, str(path), "--format", "csv")
        titles = [r["title"] for r in csv.DictReader(io.StringIO(text))]
        assert len(titles) == len(FORMULAS)
        assert all(t.startswith("'") for t in titles)
        target = tmp_path / "report.xlsx"
        _check(capsys, str(path), "--format", "xlsx", "--output", str(target))
        sheet = load_workbook(target)["Applications"]
        assert {row[1].data_type for row in sheet.iter_rows(min_row=2)} == {"s"}

    @pytest.mark.parametrize(
        "title", ["a|b", "a\nb", "a\rb", "a\r\nb", "a\\|b", "|", "a\n\n| x | y |"]
    )
    def test_markdown_table(self, intpart: callkit.Call, title: str) -> None:
        """Pipes and line breaks in a cell leave the table one row per application."""
        applications = [
            callkit.Application(
                title=title, institution=title, institution_type=title, source="list.csv:2"
            ),
            callkit.Application(title="Plain", institution="UiB", source="list.csv:3"),
        ]
        text = to_markdown(intpart.review(applications), intpart)
        lines = re.split(r"\r\n|\r|\n", text)
        start = lines.index("| Row | Title | Institution | Status | Failed rules |")
        table = lines[start : lines.index("", start)]
        assert len(table) == 2 + len(applications)
        assert all(len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) == 6 for row in table)
        assert table[2].startswith("| list.csv:2 |")
        assert any(line.startswith("### ") and "(list.csv:2)" in line for line in lines)
        bullets = [line for line in lines if line.startswith("- **error** `applicant-institution`")]
        assert len(bullets) == 1
        assert bullets[0].endswith("(https://www.uib.no/internasjonalt/146026/intpart))")


class TestDeepNesting:
    """JSON nested deeper than anything a list needs is refused, never a RecursionError."""

    @pytest.mark.parametrize(
        "text",
        [
            "[" * 100_000 + "]" * 100_000,
            '[{"title": "A", "institution": "UiB", "theme": '
            + "[" * 100_000
            + "]" * 100_000
            + "}]",
            '[{"title": "A", "institution": "UiB", "x": '
            + '{"a":' * 100_000
            + "1"
            + "}" * 100_000
            + "}]",
        ],
    )
    def test_very_deep(self, tmp_path: Path, text: str) -> None:
        """A hundred thousand levels: the file is refused in one short line."""
        path = _file(tmp_path, "deep.json", text)
        with pytest.raises(InputError) as caught:
            callkit.read_application_file(path)
        problem = _only(caught.value.problems)
        assert (problem.file, problem.row, problem.message) == (
            str(path),
            None,
            "JSON nested too deeply",
        )

    @pytest.mark.parametrize("field", ["title", "partner_countries", "research", "x"])
    def test_just_within_what_the_parser_takes(
        self, tmp_path: Path, intpart: callkit.Call, field: str
    ) -> None:
        """Nesting just below the parser's limit is refused or reported, whatever reads it.

        Each depth up to the limit is tried, as where the limit falls depends on how deep
        the caller's stack already is.
        """
        path = tmp_path / "deep.json"
        for depth in range(sys.getrecursionlimit() - 200, sys.getrecursionlimit()):
            nested = "[" * depth + "]" * depth
            _file(
                tmp_path,
                path.name,
                f'[{{"title": "A", "institution": "UiB", "{field}": {nested}}}]',
            )
            result = _read(path)
            if isinstance(result, InputError):
                assert _only(result.problems).message == "JSON nested too deeply"
                continue
            review = intpart.review(result.applications, result.problems)
            assert len(review.applications) == 1
            assert all(len(str(p)) <= SHORT for p in result.problems)

    def test_command(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """``check`` exits 2 with one line."""
        path = _file(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
        status, _, err = _check(capsys, str(path))
        assert status == 2
        assert _one_line_each(err, path) == [f"callkit: error: {path}: JSON nested too deeply"]


HOSTILE_CONTEXT = decimal.Context(
    prec=3,
    Emax=10,
    Emin=-10,
    traps=[
        decimal.Clamped,
        decimal.DivisionByZero,
        decimal.Inexact,
        decimal.InvalidOperation,
        decimal.Overflow,
        decimal.Rounded,
        decimal.Subnormal,
        decimal.Underflow,
        decimal.FloatOperation,
    ],
)
"""A decimal context a caller might set: little precision, tiny exponents, every trap set."""


class TestAbsurdNumbers:
    """Amounts no list holds are problems of their cells, never a hang or an OverflowError."""

    @pytest.mark.parametrize(
        ("number", "says"),
        [
            ("1e999999999", "'1E+999999999' has more than 18 digits before or after the point"),
            ("9e-999999", "'9E-999999' has more than 18 digits before or after the point"),
            ("1e18", "has more than 18 digits"),
            ("NaN", "'NaN' is not a non-negative number"),
            ("Infinity", "'Infinity' is not a non-negative number"),
            ("-Infinity", "'-Infinity' is not a non-negative number"),
            ("-1", "'-1' is not a non-negative number"),
            ("9" * 100_000, "'99999999999999999999"),
            ("0." + "0" * 100_000 + "1", "'1E-100001' has more than 18 digits"),
            ('"1e999999999"', "'1e999999999' is not a number"),
            ('"NaN"', "'NaN' is not a number"),
            ("true", "expected a number, got true"),
            ("[1e999999999]", "expected a number, got list"),
        ],
    )
    def test_json(self, tmp_path: Path, number: str, says: str) -> None:
        """JSON numbers are read exactly and checked before any arithmetic."""
        text = '[{"title": "A", "institution": "UiB", "requested_per_year": ' + number + "}]"
        problem = _only(callkit.read_application_file(_file(tmp_path, "a.json", text)).problems)
        assert (problem.row, problem.field) == (1, "requested_per_year")
        assert says in problem.message

    @pytest.mark.parametrize(
        ("cell", "says"),
        [
            ("1e999999999", "is not a number"),
            ("9e-999999", "is not a number"),
            ("NaN", "is not a number"),
            ("Infinity", "is not a number"),
            ("-0", "is not a number"),
            ("0x10", "is not a number"),
            ("2022-02-30", "is not a number"),
            ("9" * 30_000, "has more than 18 digits"),
            ("1" + ".000" * 8_000, "has more than 18 digits"),
            ("1" + ".000" * 8_000 + ",5x", "is not a number"),
            ("0," + "0" * 30_000 + "1", "has more than 18 digits"),
            ("1 " * 16_000, "has more than 18 digits"),
        ],
    )
    def test_csv(self, tmp_path: Path, cell: str, says: str) -> None:
        """A cell is read as people write numbers, or named with a short quote."""
        text = f"title;institution;own_share;rank\nA;UiB;{cell};{cell}\n"
        result = callkit.read_application_file(_file(tmp_path, "list.csv", text))
        assert [(p.row, p.field) for p in result.problems] == [(2, "own_share"), (2, "rank")]
        assert all(says in p.message and len(str(p)) <= SHORT for p in result.problems)

    @pytest.mark.parametrize("zero", ["-0", "-0.0", "-0e5"])
    def test_negative_zero(self, tmp_path: Path, zero: str) -> None:
        """Minus zero in JSON is zero, and is never shown with a sign."""
        text = '[{"title": "A", "institution": "UiB", "own_share": ' + zero + "}]"
        (application,) = callkit.read_applications(_file(tmp_path, "a.json", text))
        assert application.own_share == 0
        assert not str(application.own_share).startswith("-")

    def test_whatever_the_decimal_context(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """A caller's decimal context (any precision, every trap) changes nothing read or found."""
        text = (
            "title,institution,requested_per_year,duration_years,own_share,rank\n"
            "A,UiB,123456789012345678.123456789012345678,3.5,1 000 000,1\n"
            "B,UiB,1e999999,NaN,-0,0\n"
            "C,UiB,2.000.000,4,999999999999999999,2\n"
        )
        path = _file(tmp_path, "list.csv", text)

        def everything() -> tuple[object, ...]:
            result = callkit.read_application_file(path)
            review = intpart.review(result.applications, result.problems)
            return (
                result.problems,
                json.dumps(review.to_dict(), default=str),
                to_csv(review),
                to_markdown(review, intpart),
            )

        expected = everything()
        with decimal.localcontext(HOSTILE_CONTEXT):
            assert everything() == expected


def _definition(intpart: callkit.Call) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(callkit.unstructure_call(intpart)))
    return data


class TestDates:
    """Dates no call has are clear errors in definitions and in application files."""

    @pytest.mark.parametrize(
        ("date", "says"),
        [
            ("0000-01-01", "'0000-01-01' is not a date written YYYY-MM-DD: year 0 is out of range"),
            ("99999-01-01", "'99999-01-01' is not a date written YYYY-MM-DD"),
            ("-1", "'-1' is not a date written YYYY-MM-DD"),
            ("2022-02-30", "'2022-02-30' is not a date written YYYY-MM-DD: day is out of range"),
            ("1899-12-31", "1899-12-31 is not a date between the years 1900 and 2200"),
            ("9999-12-31", "9999-12-31 is not a date between the years 1900 and 2200"),
            ("1" * 5_000, "'1111111111"),
        ],
    )
    @pytest.mark.parametrize("where", ["effective", "milestones[2].date"])
    def test_in_a_definition(self, intpart: callkit.Call, date: str, says: str, where: str) -> None:
        """The problem names the key the date was given under."""
        data = _definition(intpart)
        if where == "effective":
            data["effective"] = date
        else:
            data["milestones"][2]["date"] = date
        with pytest.raises(callkit.DefinitionError) as caught:
            callkit.structure_definition(data)
        (problem,) = caught.value.problems
        assert problem.startswith(says)
        assert problem.endswith(f"@ $.{where}")
        assert len(problem) <= SHORT

    def test_in_a_toml_file(self, tmp_path: Path) -> None:
        """A TOML date, which TOML reads as a date, is held to the same years."""
        path = _file(tmp_path, "call.toml", 'id = "x"\neffective = 9999-12-31\n')
        with pytest.raises(callkit.DefinitionError, match=r"9999-12-31 is not a date between"):
            callkit.load_definition(path)

    @pytest.mark.parametrize("days", [10**9, -(10**18), 2**63])
    def test_working_days_beyond_reach(self, intpart: callkit.Call, days: int) -> None:
        """A count of working days past any call's life is refused before it is counted."""
        data = _definition(intpart)
        data["milestones"][0]["id"] = "opens"
        deadline = data["milestones"][2]
        del deadline["date"]
        deadline["relative"] = {"of": "opens", "working_days": days}
        deadline["calendar"] = "NO"
        with pytest.raises(callkit.DefinitionError) as caught:
            callkit.structure_definition(data)
        (problem,) = caught.value.problems
        assert problem.startswith("a date is counted at most 2000 working days")
        assert problem.endswith("@ $.milestones[2].relative")

    def test_lint(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """``callkit lint`` of such a file says which date, and exits 1."""
        data = _definition(callkit.get_call("intpart-2022"))
        data["milestones"][2]["date"] = "2022-02-30"
        path = _file(tmp_path, "call.json", json.dumps(data))
        assert main(["lint", str(path)]) == 1
        out = capsys.readouterr().out
        assert "'2022-02-30' is not a date written YYYY-MM-DD" in out
        assert "$.milestones[2].date" in out

    @pytest.mark.parametrize("date", ["0000-01-01", "99999-01-01", "-1", "2022-02-30"])
    def test_as_of(self, capsys: pytest.CaptureFixture[str], tmp_path: Path, date: str) -> None:
        """``--as-of`` refuses such a date as a usage error."""
        path = _file(tmp_path, "list.csv", "title,institution\nA,UiB\n")
        with pytest.raises(SystemExit) as caught:
            main(["check", "intpart-2022", str(path), "--as-of", date])
        assert caught.value.code == 2
        assert f"'{date}' is not a date written YYYY-MM-DD" in capsys.readouterr().err

    def test_in_a_csv(self, tmp_path: Path) -> None:
        """A date in a number's column is no number."""
        text = "title,institution,requested_per_year,duration_years\nA,UiB,2022-02-30,99999-01-01\n"
        result = callkit.read_application_file(_file(tmp_path, "list.csv", text))
        assert [(p.field, p.message) for p in result.problems] == [
            ("requested_per_year", "'2022-02-30' is not a number"),
            ("duration_years", "'99999-01-01' is not a number"),
        ]

    def test_in_a_workbook(self, tmp_path: Path) -> None:
        """A date Excel cannot show is its #VALUE! error; a date where a number goes is named."""
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["title", "institution", "requested_per_year", "own_share"])
        sheet.append([10**10, "UiB", dt.datetime(2022, 2, 2), -1])  # noqa: DTZ001
        sheet.append(["B", "UiB", 10**10, 1])
        for cell in (sheet["A2"], sheet["C3"], sheet["D2"]):
            cell.number_format = "yyyy-mm-dd"
        path = tmp_path / "list.xlsx"
        book.save(path)
        result = callkit.read_application_file(path)
        assert [(p.row, p.field, p.message) for p in result.problems] == [
            (2, "title", "the cell holds the spreadsheet error #VALUE!, not a value"),
            (2, "requested_per_year", "expected a number, got datetime"),
            (2, "own_share", "expected a number, got datetime"),
            (3, "requested_per_year", "the cell holds the spreadsheet error #VALUE!, not a value"),
        ]
        assert len(result.applications) == 2


def _damaged(tmp_path: Path, cell: str) -> Path:
    """A workbook whose cell C2 is written as *cell* (XML), as no spreadsheet writes it."""
    path = _workbook(tmp_path, [["title", "institution", "own_share"], ["A", "UiB", 1]])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<c r="C2"[^>]*>.*?</c>', cell.encode(), parts[sheet])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(damaged, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return damaged


class TestDamagedWorkbook:
    """A workbook no spreadsheet would write is refused in one line, never a crash."""

    @pytest.mark.parametrize(
        "cell",
        [
            '<c r="C2"><v>NaN</v></c>',
            '<c r="C2"><v>' + "9" * 5000 + "</v></c>",
            '<c r="C2" t="d"><v>99999-01-01</v></c>',
            '<c r="C2" t="d"><v>2022-02-30</v></c>',
            '<c r="C2" t="s"><v>999999</v></c>',
            '<c r="C2" t="inlineStr"><is><t>a&#1;b</t></is></c>',
        ],
    )
    def test_refused(self, tmp_path: Path, cell: str) -> None:
        """The file is named, with what went wrong, in one short line."""
        path = _damaged(tmp_path, cell)
        with pytest.raises(InputError) as caught:
            callkit.read_application_file(path)
        problem = _only(caught.value.problems)
        assert problem.message.startswith("is not an Excel workbook (.xlsx): ")
        assert "\n" not in problem.message

    @pytest.mark.parametrize(
        ("cell", "says"),
        [
            ('<c r="C2"><v>1e999</v></c>', "'inf' is not a non-negative number"),
            ('<c r="C2" t="e"><v>#DIV/0!</v></c>', "the cell holds the spreadsheet error #DIV/0!"),
            ('<c r="C2" t="e"><v>#N/A</v></c>', "the cell holds the spreadsheet error #N/A"),
        ],
    )
    def test_cell_problems(self, tmp_path: Path, cell: str, says: str) -> None:
        """What a spreadsheet can hold in a cell is a problem of that cell."""
        problem = _only(callkit.read_application_file(_damaged(tmp_path, cell)).problems)
        assert (problem.row, problem.field) == (2, "own_share")
        assert problem.message.startswith(says)


class TestShapes:
    """Many columns, repeated headings, empty files, line endings, one huge line."""

    def test_ten_thousand_columns(self, tmp_path: Path) -> None:
        """Each is kept as extra data, with one warning each."""
        headings = ",".join(f"c{i}" for i in range(10_000))
        values = ",".join(str(i) for i in range(10_000))
        text = f"title,institution,{headings}\nA,UiB,{values}\n"
        result = callkit.read_application_file(_file(tmp_path, "wide.csv", text))
        (application,) = result.applications
        assert len(application.extra) == 10_000
        assert application.extra["c9999"] == "9999"
        assert len(result.warnings) == 10_000
        assert result.problems == ()

    def test_ten_thousand_repeated_headings(self, tmp_path: Path) -> None:
        """The same unknown heading many times: each column keeps its value."""
        text = "title,institution" + ",Note" * 10_000 + "\nA,UiB," + ",".join("x" * 10_000) + "\n"
        (application,) = callkit.read_applications(_file(tmp_path, "wide.csv", text))
        assert len(application.extra) == 10_000

    def test_repeated_known_heading(self, tmp_path: Path) -> None:
        """Two columns giving one field are a problem of the header row."""
        text = "title,institution,Tittel\nA,UiB,B\n"
        result = callkit.read_application_file(_file(tmp_path, "list.csv", text))
        problem = _only(result.problems)
        assert (problem.row, problem.field) == (1, "title")
        assert problem.message == "the columns 'title' and 'Tittel' both give the title"

    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("empty.csv", "", "the file has no header row"),
            ("blank.csv", "\r\n\r\n", "the file has no header row"),
            ("bom.csv", b"\xef\xbb\xbf", "the file has no header row"),
            ("empty.json", "", "not valid JSON: Expecting value at line 1, column 1"),
            ("empty.xlsx", b"", "is not an Excel workbook (.xlsx): "),
        ],
    )
    def test_empty(self, tmp_path: Path, name: str, content: str | bytes, says: str) -> None:
        """An empty file is refused, and says so."""
        with pytest.raises(InputError) as caught:
            callkit.read_application_file(_file(tmp_path, name, content))
        assert _only(caught.value.problems).message.startswith(says)

    @pytest.mark.parametrize("text", ["title,institution", "title,institution\r\n", "[]"])
    def test_no_applications(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
    ) -> None:
        """Only a header (or an empty list) is no application, and nothing wrong."""
        path = _file(tmp_path, "list.json" if text == "[]" else "list.csv", text)
        result = callkit.read_application_file(path)
        assert (result.applications, result.problems) == ((), ())
        status, out, err = _check(capsys, str(path))
        assert (status, err) == (0, "")
        assert "0 applications" in out

    @pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\n\r"])
    def test_line_endings(self, tmp_path: Path, newline: str) -> None:
        """Windows, old Mac and Unix line endings give the same rows, numbered alike."""
        text = newline.join(["title,institution", "A,UiB", "B,UiB", ""])
        result = callkit.read_application_file(_file(tmp_path, "list.csv", text))
        assert [a.title for a in result.applications] == ["A", "B"]
        assert result.problems == ()
        if newline != "\n\r":  # "\n\r" is two line breaks: the blank line between is a row
            assert [a.source for a in result.applications] == [
                f"{tmp_path / 'list.csv'}:2",
                f"{tmp_path / 'list.csv'}:3",
            ]

    def test_one_huge_line_of_cells(self, tmp_path: Path) -> None:
        """A file that is one line of a hundred thousand cells is a header, no application."""
        text = "title,institution" + ",x" * 100_000
        result = callkit.read_application_file(_file(tmp_path, "line.csv", text))
        assert (result.applications, result.problems) == ((), ())
        assert len(result.warnings) == 100_000

    def test_one_huge_line(self, tmp_path: Path) -> None:
        """A file that is one line of ten million characters is refused at its row 1."""
        path = _file(tmp_path, "line.csv", "t" * TEN_MILLION)
        with pytest.raises(InputError) as caught:
            callkit.read_application_file(path)
        problem = _only(caught.value.problems)
        assert problem.row == 1
        assert "more than 131072 characters" in problem.message


HOSTILE_FILES: dict[str, str | bytes] = {
    "huge-cell.csv": "title,institution\nA,UiB\n" + "x" * TEN_MILLION + ",UiB\n",
    "huge-cell.json": json.dumps([{"title": "A", "institution": "UiB", "theme": "x" * 10**7}]),
    "nul-cell.csv": "title,institution,research\nA\x00,UiB,ja\x00\n",
    "nul-header.csv": "title,institu\x00tion\nA,UiB\n",
    "utf16-no-bom.csv": "title,institution\nA,UiB\n".encode("utf-16-le"),
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "amounts.json": '[{"title": "A", "institution": "UiB", "own_share": 1e999999999, '
    '"requested_total": NaN, "rank": -0, "duration_years": ' + "9" * 100_000 + "}]",
    "amounts.csv": "title;institution;own_share;requested_total;rank\nA;UiB;1e999999999;NaN;-0\n",
    "dates.csv": "title,institution,requested_per_year\nA,UiB,2022-02-30\n",
    "columns.csv": "title,institution,Tittel" + ",c" * 10_000 + "\nA,UiB,B\n",
    "empty.csv": "",
    "cr.csv": "title,institution,rank\rA,UiB,x\rB,UiB,y\r",
    "one-line.csv": "title," + "t" * TEN_MILLION,
    "formula.csv": "title,institution,partner_countries\n=cmd|' /C calc'!A0,UiB,@SUM(1)\n",
    "bom.json": b"\xef\xbb\xbf\xef\xbb\xbf[{}]",
}


class TestCommandLine:
    """Through ``callkit check``: exit 1 or 2, one line per problem, never a traceback."""

    @pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
    def test_check(self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
        """Every problem on a short line of its own naming the file (and row and field)."""
        path = _file(tmp_path, name, HOSTILE_FILES[name])
        status, _, err = _check(capsys, str(path))
        assert status in {1, 2}
        errors = _one_line_each(err, path)
        assert (status == 2) == bool(errors)
        cell = re.compile(rf"callkit: error: {re.escape(str(path))}:\d+: [a-z_]+: ")
        if name in {"amounts.json", "amounts.csv", "dates.csv", "cr.csv", "huge-cell.json"}:
            assert errors
            assert all(cell.match(line) for line in errors), errors

    @pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown", "xlsx"])
    @pytest.mark.parametrize("name", ["nul-cell.csv", "formula.csv", "amounts.csv"])
    def test_every_format(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, fmt: str
    ) -> None:
        """Every report format is written for such input, with its row."""
        path = _file(tmp_path, name, HOSTILE_FILES[name])
        target = tmp_path / f"report.{fmt}"
        status, _, err = _check(capsys, str(path), "--format", fmt, "--output", str(target))
        assert status in {1, 2}
        _one_line_each(err, path)
        if fmt == "xlsx":
            rows = list(load_workbook(target)["Applications"].iter_rows(values_only=True))
            assert [r[0] for r in rows[1:]] == [f"{path}:2"]
        else:
            assert f"{path}:2" in target.read_text(encoding="utf-8")


class TestTerminal:
    """Text from a file cannot rewrite what the text report shows on a terminal."""

    def test_escape_sequences_are_shown_not_run(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An escape sequence or a carriage return in a cell is printed as its escape."""
        title = "Hidden\r\x1b[2KPASS"
        path = _file(
            tmp_path,
            "escape.csv",
            f'title,institution,faculty,partner_countries\n"{title}",UiB,"M\x1bN",Sweden\n',
        )
        status, out, _ = _check(capsys, str(path))
        assert status == 1
        assert "\x1b" not in out
        assert "\r" not in out
        assert "Hidden\\x0d\\x1b[2KPASS" in out
        assert "UiB, M\\x1bN" in out


class TestOddRequests:
    """Odd but possible requests get a clear answer, never an internal error."""

    def test_lone_surrogate_to_a_jsonl_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A title with a lone surrogate is written to --output as its escape."""
        path = _file(tmp_path, "odd.json", '[{"title": "A\\ud800", "institution": "UiB"}]')
        target = tmp_path / "report.jsonl"
        status, _, err = _check(capsys, str(path), "--format", "jsonl", "--output", str(target))
        assert status in {0, 1}
        assert "internal error" not in err
        line = target.read_text(encoding="utf-8").splitlines()[0]
        assert "A\\ud800" in line  # the escape, which JSON reads back as the surrogate
        assert json.loads(line)["title"] == "A\ud800"

    @pytest.mark.parametrize("codec", ["rot13", "base64", "zlib"])
    def test_encoding_that_is_no_text_encoding(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, codec: str
    ) -> None:
        """--encoding names a text encoding; a codec of bytes to bytes is a usage error."""
        path = _file(tmp_path, "list.csv", "title,institution\nA,UiB\n")
        with pytest.raises(SystemExit) as stop:
            _check(capsys, str(path), "--encoding", codec)
        assert stop.value.code == 2
        assert "is not a text encoding" in capsys.readouterr().err

    @pytest.mark.parametrize("fmt", ["text", "jsonl"])
    def test_output_is_an_input(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
    ) -> None:
        """--output naming a file to check is refused, and the file is left as it was."""
        content = "title,institution\nA,UiB\n"
        path = _file(tmp_path, "list.csv", content)
        status, _, err = _check(capsys, str(path), "--format", fmt, "--output", str(path))
        assert status == 2
        assert "is one of the files to check" in err
        assert path.read_text(encoding="utf-8") == content
