"""Two languages: every message in both, chosen by --lang, lang= or the locale."""

from __future__ import annotations

import ast
import csv
import io
import json
import pickle
import string
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import callkit
from callkit._cli import main
from callkit._i18n import Countries, Language, default_language, msg, msgs
from samples import vary

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

SOURCE = Path(callkit.__file__).parent
LOCALE = SOURCE / "locale"
KEYWORDS = {"msg": None, "msgs": (1, 2), "tr": None, "N_": None}
EXAMPLES = ["examples/uib-faculty-list.csv", "examples/applications.json"]
ROOT = Path(__file__).parent.parent


def _in_code() -> dict[str, tuple[str, ...]]:
    """Every message the code marks, as babel's extractor finds it: id to its forms."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found[forms[0]] = forms
    return found


def _catalogue() -> Catalog:
    with (LOCALE / "nb" / "LC_MESSAGES" / "callkit.po").open("rb") as file:
        return read_po(file, locale="nb")


def _key(msgid: str | tuple[str, ...] | list[str]) -> str:
    """A message's id: its singular form, for a message with a plural."""
    return msgid if isinstance(msgid, str) else msgid[0]


def _forms(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A translation's forms: one, or one per plural form; none when it is missing."""
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class TestCatalogues:
    """The catalogues hold every message of the code, translated, and nothing else."""

    def test_every_message_is_translated(self) -> None:
        """Each message the code marks has a Norwegian translation that is not fuzzy."""
        catalogue = _catalogue()
        code = _in_code()
        assert len(code) > 150
        untranslated = []
        for msgid, forms in code.items():
            entry = catalogue.get(msgid)
            strings = () if entry is None else _forms(entry.string)
            if entry is None or entry.fuzzy or len(strings) != len(forms) or not all(strings):
                untranslated.append(msgid)
        assert untranslated == [], "run `nox -s i18n` and translate these"

    def test_every_marked_text_is_extracted(self) -> None:
        """Every text marked in the code is in the catalogue, even inside an f-string.

        Python 3.11 hands an f-string to babel's extractor as one token, so a marker in
        one would be missed; the syntax tree sees it.
        """
        marked: set[str] = set()
        for path in SOURCE.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    marked.add(node.args[0].value)
        assert marked - set(_in_code()) == set()

    def test_translations_keep_the_fields(self) -> None:
        """A translation names exactly the fields its English message names."""
        catalogue = _catalogue()
        for msgid, forms in _in_code().items():
            entry = catalogue.get(msgid)
            assert entry is not None
            strings = _forms(entry.string)
            wanted = set().union(*(_fields(f) for f in forms))
            for translated in strings:
                assert _fields(translated) <= wanted, msgid
                assert _fields(translated) >= wanted - {"n"}, msgid

    def test_nothing_obsolete(self) -> None:
        """The catalogue holds no message the code no longer uses."""
        code = _in_code()
        stale = [m.id for m in _catalogue() if m.id and _key(m.id) not in code]
        assert stale == []

    def test_compiled_catalogue_is_current(self) -> None:
        """The .mo file callkit reads says what the .po file says."""
        with (LOCALE / "nb" / "LC_MESSAGES" / "callkit.mo").open("rb") as file:
            compiled = read_mo(file)
        source = _catalogue()
        compiled_strings = {_key(m.id): _forms(m.string) for m in compiled if m.id}
        source_strings = {_key(m.id): _forms(m.string) for m in source if m.id}
        assert compiled_strings == source_strings

    def test_template_is_current(self) -> None:
        """callkit.pot, the template translators start from, lists the code's messages."""
        with (LOCALE / "callkit.pot").open("rb") as file:
            template = read_po(file)
        assert {_key(m.id) for m in template if m.id} == set(_in_code())


class TestMessages:
    """A message is its English text, and says itself in Norwegian on request."""

    def test_english_text(self) -> None:
        """A message compares and prints as its English text."""
        message = msg("no partner country given")
        assert message == "no partner country given"
        assert str(message) == "no partner country given"
        assert message.get("nb") == "ingen partnerland oppgitt"

    def test_arguments_in_each_language(self) -> None:
        """Country names in an argument follow the message's language."""
        message = msg(
            "{institution} is in {country}; the applicant must be in {allowed}",
            institution="UiB",
            country=Countries(["SE"]),
            allowed=Countries(["NO"]),
        )
        assert message == "UiB is in Sweden (SE); the applicant must be in Norway (NO)"
        assert message.get("nb") == "UiB er i Sverige (SE); søkeren må være i Norge (NO)"

    def test_plural(self) -> None:
        """One error, two errors; én feil, to feil."""
        assert msgs("{n} warning", "{n} warnings", 1) == "1 warning"
        assert msgs("{n} warning", "{n} warnings", 2).get("nb") == "2 advarsler"

    def test_pickles_as_template(self) -> None:
        """A pickled message comes back able to speak both languages."""
        message = msg("{field} is missing", field="title")
        again = pickle.loads(pickle.dumps(message))  # noqa: S301  (our own data)
        assert again == message
        assert again.get("nb") == "title mangler"


class TestDefaultLanguage:
    """The language comes from the locale when neither --lang nor lang= gives it."""

    @pytest.mark.parametrize(
        ("environ", "lang"),
        [
            ({"LANG": "nb_NO.UTF-8"}, "nb"),
            ({"LANG": "nn_NO.UTF-8"}, "nb"),
            ({"LANG": "no_NO"}, "nb"),
            ({"LANG": "en_GB.UTF-8"}, "en"),
            ({"LANG": "C.UTF-8"}, "en"),
            ({"LANG": "de_DE.UTF-8"}, "en"),
            ({"LANGUAGE": "nb:en", "LANG": "en_US.UTF-8"}, "nb"),
            ({"LC_ALL": "en_US.UTF-8", "LANG": "nb_NO.UTF-8"}, "en"),
            ({}, "en"),
        ],
    )
    def test_locale(self, environ: dict[str, str], lang: str) -> None:
        """Gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES, LANG; Norwegian means Bokmål."""
        assert default_language(environ) == lang

    def test_cli_follows_the_locale(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With LANG=nb_NO.UTF-8 and no --lang, the report is in Norwegian."""
        monkeypatch.chdir(ROOT)
        monkeypatch.setenv("LANG", "nb_NO.UTF-8")
        assert main(["check", "intpart-2022", EXAMPLES[0]]) == 1
        out = capsys.readouterr().out
        assert "Søknadsfrist: ons. 16 mar. 2022 13:00 Europe/Oslo (12:00 UTC)" in out
        assert "Resultat: IKKE OK" in out


class TestReports:
    """Each report in Norwegian: messages, headings and country names."""

    @pytest.fixture(autouse=True)
    def _at_root(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)

    def _run(self, capsys: pytest.CaptureFixture[str], *args: str) -> str:
        assert main(["check", "intpart-2022", *EXAMPLES, *args]) == 1
        return capsys.readouterr().out

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Statuses, findings, countries and the summary line in Norwegian."""
        out = " ".join(self._run(capsys, "--lang", "nb").split())
        assert "IKKE BESTÅTT examples/uib-faculty-list.csv:8 Sediment Archives of the Baltic" in out
        assert "partnerne er i Sverige (SE), Finland (FI)" in out
        assert "14 søknader: 8 bestått, 6 ikke bestått" in out
        assert "Sweden" not in out
        english = " ".join(self._run(capsys, "--lang", "en").split())
        assert "the partners are in Sweden (SE), Finland (FI)" in english

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The keys stay; the messages are Norwegian, and the report says its language."""
        nb = json.loads(self._run(capsys, "--format", "json", "--lang", "nb"))
        en = json.loads(self._run(capsys, "--format", "json", "--lang", "en"))
        assert nb.keys() == en.keys()
        assert (nb["lang"], en["lang"]) == ("nb", "en")
        assert nb["summary"] == en["summary"]
        messages = [f["message"] for a in nb["applications"] for f in a["findings"]]
        assert any("partnerne er i Sverige (SE), Finland (FI)" in m for m in messages)
        assert [len(a["findings"]) for a in nb["applications"]] == [
            len(a["findings"]) for a in en["applications"]
        ]

    def test_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Column names and status codes are the same in both; the findings are Norwegian."""
        nb = list(csv.DictReader(io.StringIO(self._run(capsys, "--format", "csv", "--lang", "nb"))))
        en = list(csv.DictReader(io.StringIO(self._run(capsys, "--format", "csv", "--lang", "en"))))
        assert [r["status"] for r in nb] == [r["status"] for r in en]
        assert nb[0].keys() == en[0].keys()
        assert any(r["findings"].startswith("feil ") for r in nb)

    def test_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Headings and findings in Norwegian, a row per application."""
        out = self._run(capsys, "--format", "markdown", "--lang", "nb")
        assert "| Rad | Tittel | Institusjon | Status | Brutte regler |" in out
        assert "## Funn" in out
        assert out.count("| examples/") == 14

    def test_workbook(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Sheets and headings in Norwegian."""
        from openpyxl import load_workbook  # noqa: PLC0415

        target = tmp_path / "rapport.xlsx"
        self._run(capsys, "--format", "xlsx", "--output", str(target), "--lang", "nb")
        book = load_workbook(target)
        assert book.sheetnames == ["Søknader", "Funn", "Kvoter"]
        rows = list(book["Søknader"].iter_rows(values_only=True))
        assert rows[0][:5] == ("Kilde", "Tittel", "Institusjon", "Fakultet", "Status")
        assert len(rows) == 15

    def test_python(self, intpart: callkit.Call) -> None:
        """lang= in Python: a review as data, in Norwegian."""
        review = intpart.review([vary(partner_countries=("SE",))])
        data = review.to_dict(lang="nb")
        (finding,) = data["applications"][0]["findings"]
        assert "Sverige (SE)" in finding["message"]
        assert "Sweden (SE)" in review.applications[0].findings[0].message


class TestCommands:
    """Every command that prints for people speaks Norwegian when asked."""

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (["show", "intpart-2022"], "Regler"),
            (["timeline", "intpart-2022", "--institution", "UiB"], "intern frist"),
            (["explain", "intpart-2022", "partner-country"], "Krever: minst 1 partner i:"),
            (["diff", "intpart-2022"], "hva som er endret etter"),
            (["calls"], "Utlysning"),
            (["plugins"], "Distribusjon"),
            (["upcoming", "--now", "2022-03-01", "--days", "30"], "Milepæler fra"),
            (["lint", "intpart-2022"], "Kontroll av intpart-2022"),
        ],
    )
    def test_norwegian(
        self, args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The command's output in Norwegian."""
        main([*args, "--lang", "nb"])
        assert expected in capsys.readouterr().out

    def test_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A mistake of the user is explained in Norwegian too."""
        assert main(["explain", "intpart-2022", "own-shar", "--lang", "nb"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("callkit: feil: intpart-2022 har ingen regel 'own-shar'; mente du")

    def test_lint_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Lint's JSON keeps its codes and gives its messages in the language asked for."""
        main(["lint", "intpart-2022", "--format", "json", "--lang", "nb"])
        (finding,) = json.loads(capsys.readouterr().out)
        assert finding["code"] == "zone-label"
        assert finding["message"].startswith("publisert som '16.03 kl. 13:00 CEST'")
        assert finding["milestone"].startswith("frist «Søknadsfrist»")


class TestHelp:
    """The command line's help and usage errors follow --lang too."""

    def test_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`callkit check --help --lang nb` explains the options in Norwegian."""
        with pytest.raises(SystemExit) as stop:
            main(["check", "--help", "--lang", "nb"])
        assert stop.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("bruk: callkit check")
        assert "valg:" in out
        assert "arket i en Excel-arbeidsbok" in out

    def test_help_from_the_locale(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --lang, the help is in the locale's language."""
        monkeypatch.setenv("LANG", "nb_NO.UTF-8")
        with pytest.raises(SystemExit):
            main(["--help"])
        assert "kommandoer:" in capsys.readouterr().out

    def test_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing argument exits 2 with the usage and an error line in Norwegian."""
        with pytest.raises(SystemExit) as stop:
            main(["check", "intpart-2022", "--lang", "nb"])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("bruk: callkit check")
        assert "callkit: feil: " in err


class TestInputProblems:
    """What cannot be read is said in the language asked for, with file, row and field."""

    def test_cells(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown country and an unreadable amount, in Norwegian on standard error."""
        path = tmp_path / "liste.csv"
        path.write_text(
            "title;institution;partner_countries;own_share\nA;UiB;Atlantis;mye\n",
            encoding="utf-8",
        )
        assert main(["check", "intpart-2022", str(path), "--lang", "nb"]) == 2
        captured = capsys.readouterr()
        assert f"callkit: feil: {path}:2: partner_countries: ukjent land 'Atlantis'" in (
            captured.err
        )
        assert f"callkit: feil: {path}:2: own_share: 'mye' er ikke et tall" in captured.err
        assert "feil    input: partner_countries: ukjent land 'Atlantis'" in captured.out

    def test_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that is not there."""
        missing = tmp_path / "borte.csv"
        assert main(["check", "intpart-2022", str(missing), "--lang", "nb"]) == 2
        assert capsys.readouterr().err == f"callkit: feil: {missing}: filen finnes ikke\n"


class TestDates:
    """Dates read as CLDR writes them, in either language."""

    @pytest.mark.parametrize("lang", ["en", "nb"])
    def test_as_cldr_abbreviates(self, lang: Language) -> None:
        """Every weekday and month reads as pendulum's CLDR formatter writes it."""
        import pendulum  # noqa: PLC0415

        from callkit._render import format_instant  # noqa: PLC0415

        for month in range(1, 13):
            for day in range(1, 8):
                at = pendulum.datetime(2022, month, day, 13, tz="Europe/Oslo")
                expected = at.format("ddd D MMM YYYY HH:mm", locale=lang)
                assert format_instant(at, lang=lang) == f"{expected} Europe/Oslo"
                assert format_instant(at.date(), lang=lang) == at.format(
                    "ddd D MMM YYYY", locale=lang
                )


def test_upcoming_heading(capsys: pytest.CaptureFixture[str]) -> None:
    """The look-ahead says from when, in UTC, once."""
    main(["upcoming", "--now", "2022-03-01", "--days", "30", "--lang", "en"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "Milestones from Tue 1 Mar 2022 00:00 UTC, 30 days ahead"
    main(["upcoming", "--now", "2022-03-01", "--days", "1", "--lang", "nb"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "Milepæler fra tir. 1 mar. 2022 00:00 UTC, 1 dag fram"


def test_unknown_language() -> None:
    """A language callkit does not speak is a clear error, naming those it does."""
    with pytest.raises(ValueError, match="callkit speaks nb and en"):
        msg("no partner country given").get("de")  # type: ignore[arg-type]
