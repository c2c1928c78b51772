"""The callkit command: output people read, JSON tools read, and honest exit statuses."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from callkit._cli import main
from samples import write_distribution

EXAMPLES = Path(__file__).parent.parent / "examples"
FACULTY_LIST = EXAMPLES / "uib-faculty-list.csv"
APPLICATIONS = EXAMPLES / "applications.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in this process; return its status, stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    """Run the command with --format json and parse what it prints."""
    status, out, _ = run(capsys, *argv, "--format", "json")
    return status, json.loads(out)


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(
        "title,institution,faculty,partner_countries,research,education\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


class TestCalls:
    """callkit calls."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One line per call with its deadline."""
        status, out, _ = run(capsys, "calls")
        assert status == 0
        assert "intpart-2022" in out
        assert "2022-03-16 13:00 Europe/Oslo" in out

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A list of objects with id and title."""
        status, data = run_json(capsys, "calls")
        assert status == 0
        (call,) = (c for c in data if c["id"] == "intpart-2022")
        assert call["title"].startswith("INTPART 2022")
        assert call["deadline"] == "2022-03-16T13:00:00+01:00"


class TestShow:
    """callkit show."""

    def test_text_cites_sources(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each rule is shown with the sentence it comes from."""
        status, out, _ = run(capsys, "show", "intpart-2022")
        assert status == 0
        assert "own-share" in out
        assert "Egenandelen av prosjektbudsjettet må være minimum 20 prosent." in out
        assert "at most 20 applications" in out

    def test_json_is_the_definition(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The JSON is the whole definition as plain data, and loads back."""
        import callkit  # noqa: PLC0415

        status, data = run_json(capsys, "show", "intpart-2022")
        assert status == 0
        assert callkit.structure_call(data) == callkit.get_call("intpart-2022")


class TestTimeline:
    """callkit timeline."""

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Milestones in time order with kind, title, at and institution."""
        status, data = run_json(capsys, "timeline", "intpart-2022", "--institution", "UiB")
        assert status == 0
        assert [m["kind"] for m in data][:5] == [
            "opens",
            "info_session",
            "internal_deadline",
            "deadline",
            "submission",
        ]
        deadline = data[3]
        assert deadline["at"] == "2022-03-16T13:00:00+01:00"
        assert deadline["utc"] == "2022-03-16T12:00:00Z"
        assert deadline["institution"] is None
        assert data[2]["at"] == "2022-03-09"
        assert data[2]["institution"] == "UiB"
        assert all(m["source"]["url"].startswith("https://") for m in data)

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The deadline shows local time and UTC."""
        status, out, _ = run(capsys, "timeline", "intpart-2022")
        assert status == 0
        assert "Wed 16 Mar 2022 13:00 Europe/Oslo" in out
        assert "2022-03-16 12:00" in out

    def test_unknown_institution(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An institution without a policy is a usage error naming the known ones."""
        status, _, err = run(capsys, "timeline", "intpart-2022", "--institution", "NTNU")
        assert status == 2
        assert "UiB" in err

    def test_institution(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The funder's milestones by default; --institution adds that institution's."""
        _, funder = run_json(capsys, "timeline", "intpart-2022")
        assert {m["institution"] for m in funder} == {None}
        status, data = run_json(capsys, "timeline", "intpart-2022", "--institution", "uib")
        assert status == 0
        assert {m["institution"] for m in data} == {None, "UiB"}
        assert len(data) == len(funder) + 2


class TestCheck:
    """callkit check."""

    def test_examples(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The shipped examples give an explained report with errors: exit 1."""
        status, out, err = run(
            capsys, "check", "intpart-2022", str(FACULTY_LIST), str(APPLICATIONS)
        )
        assert status == 1
        assert err == ""
        assert "FAIL" in out
        assert "PASS" in out
        assert "source:" in out
        assert "Result: NOT OK" in out

    def test_json_shape(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The JSON report has one entry per input row, in input order."""
        status, data = run_json(
            capsys, "check", "intpart-2022", str(FACULTY_LIST), str(APPLICATIONS)
        )
        assert status == 1
        assert data["call"] == "intpart-2022"
        assert data["ok"] is False
        rows = len(FACULTY_LIST.read_text(encoding="utf-8").splitlines()) - 1
        items = len(json.loads(APPLICATIONS.read_text(encoding="utf-8")))
        assert len(data["applications"]) == rows + items
        first = data["applications"][0]
        assert first["source"] == f"{FACULTY_LIST}:2"
        assert set(first) >= {"source", "title", "ok", "findings"}
        for app in data["applications"]:
            for finding in app["findings"]:
                assert finding["severity"] in {"error", "warning", "info"}
                assert set(finding) >= {"rule", "severity", "message", "field", "source"}
        (quota,) = data["quotas"]
        assert set(quota) >= {"institution", "limit", "count", "exceeded", "applications"}
        assert quota["institution"] == "UiB"

    def test_all_pass(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """No error finding: exit 0."""
        path = _csv(tmp_path, ["Ocean,NTNU,,Brazil,yes,yes"])
        status, out, _ = run(capsys, "check", "intpart-2022", str(path))
        assert status == 0
        assert "Result: OK" in out

    def test_over_quota_exits_1(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Twenty-one UiB applications that pass every rule still exit 1: the quota."""
        import callkit  # noqa: PLC0415

        path = tmp_path / "many.json"
        base = json.loads(APPLICATIONS.read_text(encoding="utf-8"))[0]
        path.write_text(
            json.dumps([{**base, "title": f"P{i}"} for i in range(21)]), encoding="utf-8"
        )
        assert callkit.get_call("intpart-2022").check(callkit.read_applications(path)[0]).ok
        status, data = run_json(capsys, "check", "intpart-2022", str(path))
        assert status == 1
        assert all(a["ok"] for a in data["applications"])
        assert data["quotas"][0]["exceeded"] is True
        assert data["quotas"][0]["over_by"] == 1

    def test_unknown_call(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A misspelt call id exits 2 and suggests the right one."""
        status, out, err = run(capsys, "check", "intpart-2021", str(FACULTY_LIST))
        assert status == 2
        assert out == ""
        assert err == "callkit: error: unknown call 'intpart-2021'; did you mean 'intpart-2022'?\n"

    def test_missing_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A missing file exits 2 with one line naming it, and no report."""
        missing = tmp_path / "missing.csv"
        status, out, err = run(capsys, "check", "intpart-2022", str(missing))
        assert status == 2
        assert out == ""
        assert err == f"callkit: error: {missing}: no such file\n"

    def test_bad_cells(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Unreadable cells exit 2; the report still lists every row."""
        path = _csv(
            tmp_path,
            ["A,UiB,MN,Atlantis,yes,yes", "B,UiB,MN,Brazil,perhaps,yes", "C,UiB,MN,Brazil,yes,yes"],
        )
        status, data = run_json(capsys, "check", "intpart-2022", str(path))
        assert status == 2
        assert [a["title"] for a in data["applications"]] == ["A", "B", "C"]
        assert data["applications"][0]["findings"][0]["rule"] == "input"

    def test_bad_cells_on_stderr(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Each unreadable cell is one line on stderr with file, row and field."""
        path = _csv(tmp_path, ["A,UiB,MN,Atlantis,yes,yes", "B,UiB,MN,Brazil,perhaps,yes"])
        status, _, err = run(capsys, "check", "intpart-2022", str(path))
        assert status == 2
        first, second = err.splitlines()
        assert first.startswith(
            f"callkit: error: {path}:2: partner_countries: unknown country 'Atlantis'"
        )
        assert second == (
            f"callkit: error: {path}:3: research: 'perhaps' is neither yes nor no "
            "(yes/no, true/false, ja/nei)"
        )

    def test_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing argument is a usage error: exit 2."""
        with pytest.raises(SystemExit) as caught:
            main(["check", "intpart-2022"])
        assert caught.value.code == 2
        assert "callkit: error:" in capsys.readouterr().err

    def test_bad_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown --format is a usage error."""
        with pytest.raises(SystemExit) as caught:
            main(["calls", "--format", "yaml"])
        assert caught.value.code == 2
        capsys.readouterr()


class TestInstalledCommand:
    """The installed console script and ``python -m callkit``."""

    def test_console_script(self) -> None:
        """The ``callkit`` script is installed and runs the main job."""
        exe = Path(sys.executable).with_name("callkit")
        assert exe.exists()
        done = subprocess.run(  # noqa: S603
            [exe, "check", "intpart-2022", str(FACULTY_LIST)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1
        assert "Result: NOT OK" in done.stdout

    def test_module(self) -> None:
        """``python -m callkit`` does the same as ``callkit``."""
        done = subprocess.run(
            [sys.executable, "-m", "callkit", "calls", "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0
        assert any(c["id"] == "intpart-2022" for c in json.loads(done.stdout))

    def test_command_collects_garbage_while_checking(self) -> None:
        """The command sets aside what it loaded, and still collects what checking leaves.

        Collecting while checking is what keeps a long list's memory bounded.
        """
        code = (
            "import atexit, gc, sys\n"
            "from callkit import _call, _cli\n"
            "seen = []\n"
            "review = _call.Call.review\n"
            "def noting(*args, **kwargs):\n"
            "    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
            "    return review(*args, **kwargs)\n"
            "_call.Call.review = noting\n"
            "atexit.register(lambda: sys.stderr.write(repr(seen)))\n"
            f"sys.argv = ['callkit', 'check', 'intpart-2022', {str(FACULTY_LIST)!r}]\n"
            "_cli.run()\n"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert done.returncode == 1
        assert done.stderr == "[(True, True)]"

    def test_garbage_of_a_plugin_is_collected_while_loading(self, tmp_path: Path) -> None:
        """What a plugin's code throws away while the command loads it is still collected."""
        write_distribution(
            tmp_path,
            "plugin-wasteful",
            "1.0",
            "[callkit.calls]\nwasteful-2030 = plugin_wasteful:make\n",
            {
                "plugin_wasteful.py": """
                    import attrs, callkit, weakref
                    collected = []
                    refs = []
                    def make():
                        class Waste:
                            pass
                        waste = Waste()
                        waste.me = waste  # a cycle, which only the collector frees
                        refs.append(weakref.ref(waste, lambda _: collected.append("waste")))
                        del waste
                        busy = [[] for _ in range(200_000)]  # a busy plugin's objects
                        del busy
                        return attrs.evolve(callkit.get_call("intpart-2022"), id="wasteful-2030")
                """
            },
        )
        code = (
            "import atexit, sys\n"
            "from callkit import _cli\n"
            "atexit.register(lambda: sys.stderr.write("
            "repr(sys.modules['plugin_wasteful'].collected)))\n"
            f"sys.argv = ['callkit', 'check', 'wasteful-2030', {str(FACULTY_LIST)!r}]\n"
            "_cli.run()\n"
        )
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env
        )
        assert done.returncode == 1
        assert done.stderr.endswith("['waste']")

    def test_command_run_in_a_process_leaves_it_as_it_was(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """After ``run()`` inside another program, ``main()`` sets nothing aside again."""
        from callkit import _cli  # noqa: PLC0415

        monkeypatch.setattr(sys, "argv", ["callkit", "check", "intpart-2022", str(FACULTY_LIST)])
        try:
            with pytest.raises(SystemExit):
                _cli.run()
        finally:
            gc.unfreeze()  # what run() set aside of this test process
        capsys.readouterr()
        status, _, _ = run(capsys, "check", "intpart-2022", str(FACULTY_LIST))
        assert status == 1
        assert gc.get_freeze_count() == 0

    def test_loading_keeps_automatic_collection_off_where_it_was(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A process that collects only when it says so is not made to collect by loading."""
        from callkit import _cli  # noqa: PLC0415

        monkeypatch.setattr(_cli, "_settling", True)
        threshold = gc.get_threshold()
        gc.set_threshold(0)
        try:
            with _cli._loading():  # noqa: SLF001  (the command's loading, as run() does it)
                during = gc.get_threshold()[0]
            after = gc.get_threshold()[0]
        finally:
            gc.set_threshold(*threshold)
            gc.unfreeze()
        assert (during, after) == (0, 0)

    def test_main_leaves_the_collector_alone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``main()`` called from Python sets nothing aside: the process is the caller's."""
        frozen = gc.get_freeze_count()
        status, out, _ = run(capsys, "check", "intpart-2022", str(FACULTY_LIST))
        assert status == 1
        assert "Result: NOT OK" in out
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen

    def test_no_traceback(self, tmp_path: Path) -> None:
        """A file in no encoding callkit detects gives one error line, no traceback."""
        path = tmp_path / "bad.csv"
        path.write_bytes(b"title,institution\n\x81\x8d,UiB\n")
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "callkit", "check", "intpart-2022", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("callkit: error:")


class TestNoTraceback:
    """Whatever the input, the command answers in one line per problem."""

    def test_huge_integer_in_json(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A 5000-digit number is an input error, exit 2."""
        path = tmp_path / "big.json"
        path.write_text(
            '[{"title": "A", "institution": "UiB", "requested_per_year": ' + "9" * 5000 + "}]",
            encoding="utf-8",
        )
        status, _, err = run(capsys, "check", "intpart-2022", str(path))
        assert status == 2
        assert "digits" in err
        assert "Traceback" not in err

    def test_definition_that_is_a_list(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Lint of a JSON file holding a list says it is not a definition."""
        path = tmp_path / "d.json"
        path.write_text("[]", encoding="utf-8")
        status, out, _ = run(capsys, "lint", str(path))
        assert status == 1
        assert "table of keys" in out

    def test_deeply_nested_definition(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A definition nested a hundred thousand deep is refused in one line."""
        path = tmp_path / "deep.json"
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        status, out, _ = run(capsys, "lint", str(path))
        assert status == 1
        assert "nested too deeply" in out

    @pytest.mark.parametrize(
        "argv",
        [["upcoming", "--days", "99999999"], ["upcoming", "--now", "9999-12-31"]],
    )
    def test_out_of_range_options(
        self, capsys: pytest.CaptureFixture[str], argv: list[str]
    ) -> None:
        """Options beyond any sensible range are usage errors."""
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
        assert "callkit: error:" in capsys.readouterr().err

    def test_terminal_without_unicode(self) -> None:
        """A terminal that cannot show quotation marks still gets the whole report."""
        done = subprocess.run(
            [sys.executable, "-m", "callkit", "show", "intpart-2022"],
            capture_output=True,
            check=False,
            env={**os.environ, "PYTHONIOENCODING": "ascii"},
        )
        assert done.returncode == 0
        assert b"Traceback" not in done.stderr
        assert b"own-share" in done.stdout


class TestListingIsCheap:
    """Listing calls reads definition files as data and loads no model."""

    def test_calls_loads_no_model(self) -> None:
        """`callkit calls` imports neither the model nor attrs, cattrs or pendulum."""
        code = (
            "import sys, io, contextlib\n"
            "from callkit._cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['calls'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'attr', 'attrs', 'cattrs', 'pendulum', 'callkit_intpart'} "
            "or m == 'callkit._call'))\n"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"

    def test_summary_matches_the_loaded_call(self) -> None:
        """The summary read from data says what the loaded call says, version by version."""
        import datetime as dt  # noqa: PLC0415

        import callkit  # noqa: PLC0415
        from callkit import _summary  # noqa: PLC0415

        registry = callkit.Registry.from_entry_points()
        from_data = registry.summary("intpart-2022")
        call = registry.get("intpart-2022")
        assert from_data == _summary.from_call(call)
        assert from_data.deadline() == call.deadline
        assert from_data.deadline(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)) == call.deadline


class TestReadingOptions:
    """--encoding and --delimiter override what is detected."""

    def test_options(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A UTF-16 file with pipes reads with both options given."""
        path = tmp_path / "odd.csv"
        path.write_bytes(
            "title|institution|research|education\nØst|NTNU|yes|yes\n".encode("utf-16")
        )
        argv = ["check", "intpart-2022", str(path), "--format", "json"]
        status, data = run_json(capsys, *argv[:3], "--encoding", "utf-16", "--delimiter", "|")
        assert status == 0
        assert data["applications"][0]["title"] == "Øst"

    @pytest.mark.parametrize(
        ("option", "value"), [("--encoding", "klingon"), ("--delimiter", "ab")]
    )
    def test_bad_option(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, value: str
    ) -> None:
        """An unknown encoding or a separator longer than a character is a usage error."""
        with pytest.raises(SystemExit) as caught:
            main(["check", "intpart-2022", str(tmp_path / "x.csv"), option, value])
        assert caught.value.code == 2
        assert "callkit: error:" in capsys.readouterr().err


class TestTerminal:
    """Colour on a terminal, never in a pipe or with NO_COLOR; progress for long lists."""

    def test_colour(self) -> None:
        """The text report marks failures and errors in colour when asked to."""
        import callkit  # noqa: PLC0415
        from callkit._render import render_review  # noqa: PLC0415

        call = callkit.get_call("intpart-2022")
        review = call.review(callkit.read_applications(FACULTY_LIST))
        plain = render_review(review, call)
        coloured = render_review(review, call, colour=True)
        assert "\x1b[" not in plain
        assert "\x1b[31mFAIL\x1b[0m" in coloured
        assert "\x1b[31merror\x1b[0m" in coloured
        assert (
            coloured.replace("\x1b[31m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[1;31m", "")
            .replace("\x1b[0m", "")
            == plain
        )

    def test_no_colour_in_a_pipe(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Piped output, or NO_COLOR, has no escape codes."""
        _, out, _ = run(capsys, "check", "intpart-2022", str(FACULTY_LIST))
        assert "\x1b[" not in out
        from callkit._cli import _colour  # noqa: PLC0415

        class Tty:
            def isatty(self) -> bool:
                return True

        assert _colour(Tty())
        monkeypatch.setenv("NO_COLOR", "1")
        assert not _colour(Tty())

    def test_progress(self) -> None:
        """A review tells its progress after each application."""
        import callkit  # noqa: PLC0415

        call = callkit.get_call("intpart-2022")
        apps = callkit.read_applications(FACULTY_LIST)
        seen: list[tuple[int, int]] = []
        call.review(apps, progress=lambda done, total: seen.append((done, total)))
        assert seen == [(n, len(apps)) for n in range(1, len(apps) + 1)]
