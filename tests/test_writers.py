"""Reports people forward: every row of the input in every format, and no formulas run."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

import callkit
from callkit._cli import main

if TYPE_CHECKING:
    from pathlib import Path

ROWS = [
    "Ocean,UiB,MN,Brazil,yes,yes",
    '=HYPERLINK("http://x"),UiB,MN,Sweden,yes,no',
    "Arctic,NTNU,,Atlantis,yes,yes",
    "@Lab,NTNU,,Japan,yes,yes",
]


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    """A faculty list with a formula-like title, a failing row and an unreadable cell."""
    path = tmp_path / "list.csv"
    path.write_text(
        "title,institution,faculty,partner_countries,research,education\n" + "\n".join(ROWS) + "\n",
        encoding="utf-8",
    )
    return path


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(["check", "intpart-2022", *argv])
    return status, capsys.readouterr().out


class TestCsv:
    """The CSV report: one row per application, text kept as text."""

    def test_every_row(self, listing: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Each input row, readable or not, is one row of the report, in input order."""
        status, out = _check(capsys, str(listing), "--format", "csv")
        assert status == 2  # one cell could not be read
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["source"] for r in rows] == [f"{listing}:{n}" for n in range(2, 6)]
        assert [r["status"] for r in rows] == [
            "fail",
            "fail",
            "fail",
            "pass",
        ]  # UiB needs its items
        assert "research-and-education" in rows[1]["failed_rules"]
        assert "input" in rows[2]["failed_rules"]

    def test_formulas_escaped(self, listing: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A title that starts like a formula is written behind an apostrophe."""
        _, out = _check(capsys, str(listing), "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[1]["title"] == '\'=HYPERLINK("http://x")'
        assert rows[3]["title"] == "'@Lab"

    def test_output_file(
        self, listing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--output writes the file with a byte-order mark, so Excel keeps the letters."""
        target = tmp_path / "report.csv"
        _check(capsys, str(listing), "--format", "csv", "--output", str(target), "--delimiter", ";")
        assert capsys.readouterr().out == ""
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == len(ROWS)


class TestXlsx:
    """The workbook: applications, findings and quotas, text cells for text."""

    def test_sheets(
        self, listing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every application on the first sheet; every finding, with its source, on the second."""
        target = tmp_path / "report.xlsx"
        _check(capsys, str(listing), "--format", "xlsx", "--output", str(target))
        book = load_workbook(target)
        assert book.sheetnames == ["Applications", "Findings", "Quotas"]
        apps = list(book["Applications"].iter_rows(values_only=True))
        assert len(apps) == 1 + len(ROWS)
        assert apps[2][1] == '=HYPERLINK("http://x")'
        assert book["Applications"].cell(row=3, column=2).data_type == "s"
        findings = list(book["Findings"].iter_rows(values_only=True))
        header = findings[0]
        by_rule = {row[header.index("Rule")] for row in findings[1:]}
        assert {"research-and-education", "input"} <= by_rule
        urls = {row[header.index("Source address")] for row in findings[1:] if row[2] != "input"}
        assert urls == {"https://www.uib.no/internasjonalt/146026/intpart"}
        quotas = list(book["Quotas"].iter_rows(values_only=True))
        assert quotas[1][:3] == ("UiB", 2, 20)
        assert all(cell.font.bold for cell in book["Applications"][1])


class TestMarkdown:
    """The Markdown report: a table of every application, then the findings."""

    def test_table(self, listing: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """One table row per application, pipes in titles escaped, findings with sources."""
        _, out = _check(capsys, str(listing), "--format", "markdown")
        table = [line for line in out.splitlines() if line.startswith(f"| {listing}")]
        assert len(table) == len(ROWS)
        assert "**error** `research-and-education`" in out
        assert "(https://www.uib.no/internasjonalt/146026/intpart)" in out
        assert "## Quotas" in out

    def test_quota_exceeded(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An exceeded quota says by how much and by faculty, not only that it is exceeded."""
        path = tmp_path / "many.csv"
        rows = [f"Project {i},UiB,{'MN' if i % 2 else 'HF'},Brazil,yes,yes" for i in range(21)]
        path.write_text(
            "title,institution,faculty,partner_countries,research,education\n"
            + "\n".join(rows)
            + "\n",
            encoding="utf-8",
        )
        _, out = _check(capsys, str(path), "--format", "markdown")
        assert "| UiB | 21 | 20 | yes |" in out
        assert "- **error** `quota`: University of Bergen (UiB) has 21 applications" in out
        assert "By faculty: HF 11, MN 10." in out


def test_json_unchanged(listing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--output works for JSON too, with the same document as standard output."""
    _, out = _check(capsys, str(listing), "--format", "json")
    target = listing.with_suffix(".json.out")
    _check(capsys, str(listing), "--format", "json", "--output", str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(out)
    assert callkit.read_application_file(listing).applications


class TestTemplate:
    """Empty faculty lists: the headings a call and an institution ask for."""

    def test_filled_in_and_read_back(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A filled-in Norwegian workbook template reads back into every field."""
        target = tmp_path / "mal.xlsx"
        assert (
            main(
                [
                    "template",
                    "intpart-2022",
                    "--institution",
                    "UiB",
                    "--lang",
                    "nb",
                    "--output",
                    str(target),
                ]
            )
            == 0
        )
        book = load_workbook(target)
        assert book.sheetnames == ["Søkere", "Forklaring"]
        sheet = book["Søkere"]
        headings = [c.value for c in sheet[1]]
        assert headings[0] == "Tittel på prosjekt (title)"
        assert "Land for hovedpartnerinstitusjon (partner_countries)" in headings
        values = {
            "title": "Havdata",
            "institution": "UiB",
            "faculty": "MN",
            "theme": "Hav",
            "qualifying_project": "SFF X",
            "applicant": "Kari",
            "department": "GFI",
            "partner_countries": "Brasil",
            "partner_institutions": "USP",
            "rank": 1,
        }
        sheet.append([values[h.rsplit("(", 1)[1].rstrip(")")] for h in headings])
        book.save(target)
        (app,) = callkit.read_applications(target)
        assert (app.title, app.department, app.partner_countries, app.rank) == (
            "Havdata",
            "GFI",
            ("BR",),
            1,
        )
        report = callkit.get_call("intpart-2022").check(app)
        assert "required-field" in report.passed
        explain = list(book["Forklaring"].iter_rows(values_only=True))
        assert explain[0][:3] == ("Kolonne", "Felt", "Påkrevd")
        assert all(row[3] for row in explain[1:] if row[2] == "ja")
        what = {row[1]: row[3] for row in explain[1:]}
        assert what["institution"].startswith("Påkrevd. UiB (eller Universitetet i Bergen")
        assert "MN" in what["faculty"]
        capsys.readouterr()

    def test_csv_english(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A CSV template in English is one heading row, separated by semicolons."""
        assert main(["template", "intpart-2022", "--format", "csv", "--lang", "en"]) == 0
        (row,) = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
        assert row[:2] == ["Project title (title)", "Applicant institution (institution)"]
