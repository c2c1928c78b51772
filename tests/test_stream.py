"""Reviewing row by row: the same findings as the whole review, every row, each bad cell."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import callkit
from callkit._cli import main
from callkit._writers import JsonLines

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

HEADER = "title,institution,faculty,rank,partner_countries,requested_per_year\n"


def _uib_list(count: int) -> str:
    """*count* UiB applications over a quota of 20: ranks shared, missing early and late."""
    rows = []
    for n in range(count):
        rank = "" if n in {3, 25} else str(n % 12 + 1)
        faculty = ("MN", "mn", "HF", "")[n % 4]
        rows.append(f"Project {n},UiB,{faculty},{rank},BR,1000000")
    rows.append("Bad row,UiB,MN,99,Atlantis,lots")
    rows.append("Elsewhere,NTNU,,,US,500000")
    rows.append("Almost,Univeristy of Bergen,MN,1,US,500000")
    return HEADER + "\n".join(rows) + "\n"


def _shared_rank(finding: callkit.Finding) -> bool:
    return finding.rule == "quota" and finding.severity == "error" and finding.field == "rank"


def _both(
    call: callkit.Call, path: Path
) -> tuple[callkit.Review, list[callkit.ApplicationReport], callkit.ReviewSummary]:
    read = callkit.read_application_file(path)
    review = call.review(read.applications, read.problems)
    with callkit.open_application_file(path) as rows:
        stream = call.review_rows(rows, rows.problems)
        reports = list(stream)
    return review, reports, stream.summary()


def _assert_same(call: callkit.Call, path: Path) -> None:
    """The stream says what the whole review says, finding for finding."""
    review, reports, summary = _both(call, path)
    assert [r.source for r in reports] == [r.source for r in review.applications]
    late = defaultdict(list)
    for item in summary.findings:
        late[item.application].append(item.finding)
    shared = set(late.pop(None, []))
    for streamed, whole in zip(reports, review.applications, strict=True):
        assert streamed.application == whole.application
        expected = [f for f in whole.findings if not _shared_rank(f)]
        assert [*streamed.findings, *late.pop(streamed.source, [])] == expected
        assert streamed.passed == whole.passed
    assert not late
    assert shared == {f for r in review.applications for f in r.findings if _shared_rank(f)}
    assert summary.counts == review.summary()
    assert summary.ok == review.ok
    assert summary.problems == review.problems
    assert list(summary.quotas) == [attrs.evolve(q, applications=()) for q in review.quotas]
    assert [q.by_faculty for q in summary.quotas] == [q.by_faculty for q in review.quotas]


class TestSameAsWhole:
    """Row by row, callkit finds what it finds in the whole input."""

    def test_over_quota(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """Shared and missing ranks, before and after the quota is exceeded; bad cells."""
        path = tmp_path / "list.csv"
        path.write_text(_uib_list(30), encoding="utf-8")
        _assert_same(intpart, path)
        _, reports, summary = _both(intpart, path)
        assert summary.counts["quotas_exceeded"] == 1
        missing = [
            late.application for late in summary.findings if late.finding.severity == "warning"
        ]
        assert missing == [f"{path}:5"]  # row 5 came before the quota was exceeded; row 27 after
        assert any(f.field == "rank" for f in reports[25].findings)

    def test_within_quota(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """Within the quota nothing is missing a rank, and the examples read alike."""
        path = tmp_path / "list.csv"
        path.write_text(_uib_list(10), encoding="utf-8")
        _assert_same(intpart, path)

    def test_plain_applications(self, intpart: callkit.Call) -> None:
        """Applications without rows to read them from are reviewed too."""
        apps = [
            callkit.Application(title="A", institution="UiB", rank=1, source=f"a:{n}")
            for n in range(3)
        ]
        stream = intpart.review_rows(apps)
        assert len(list(stream)) == 3
        assert stream.summary().counts == intpart.review(apps).summary()

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(text=st.text(alphabet=st.sampled_from('UiB,MN1;x2\n"Atlantis'), max_size=300))
    def test_any_csv(self, tmp_path: Path, intpart: callkit.Call, text: str) -> None:
        """Whatever the rows hold, the stream and the whole review agree."""
        path = tmp_path / "any.csv"
        path.write_text(HEADER + text, encoding="utf-8")
        try:
            callkit.read_application_file(path)
        except callkit.InputError:
            return
        _assert_same(intpart, path)


class TestJsonLines:
    """callkit check --format jsonl: one line per application, then the summary."""

    def test_lines(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every row has its line; a bad cell is an input finding naming file, row and field."""
        path = tmp_path / "list.csv"
        path.write_text(_uib_list(30), encoding="utf-8")
        status = main(["check", "intpart-2022", str(path), "--format", "jsonl"])
        out, err = capsys.readouterr()
        lines = [json.loads(line) for line in out.splitlines()]
        *applications, summary = lines
        assert status == 2  # a cell could not be read
        assert [a["type"] for a in applications] == ["application"] * 33
        assert [a["source"] for a in applications] == [f"{path}:{n}" for n in range(2, 35)]
        bad = applications[30]
        assert [(f["rule"], f["field"]) for f in bad["findings"][:2]] == [
            ("input", "partner_countries"),
            ("input", "requested_per_year"),
        ]
        assert f"{path}:32: partner_countries: unknown country 'Atlantis'" in err
        assert summary["type"] == "summary"
        assert summary["summary"]["applications"] == 33
        assert summary["quotas"][0]["count"] == 31
        assert "applications" not in summary["quotas"][0]

    def test_same_summary_as_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The summary line's counts and quotas are those of --format json."""
        path = tmp_path / "list.csv"
        path.write_text(_uib_list(25), encoding="utf-8")
        main(["check", "intpart-2022", str(path), "--format", "json"])
        whole = json.loads(capsys.readouterr().out)
        output = tmp_path / "report.jsonl"
        main(["check", "intpart-2022", str(path), "--format", "jsonl", "--output", str(output)])
        *applications, summary = map(json.loads, output.read_text(encoding="utf-8").splitlines())
        assert summary["summary"] == whole["summary"]
        assert summary["ok"] == whole["ok"]
        for quota in whole["quotas"]:
            del quota["applications"]
        assert summary["quotas"] == whole["quotas"]
        assert [a["source"] for a in applications] == [a["source"] for a in whole["applications"]]

    def test_line_is_the_report(self, tmp_path: Path, intpart: callkit.Call) -> None:
        """Each line is exactly json.dumps of its report's plain data, findings shared or not."""
        path = tmp_path / "list.csv"
        path.write_text(_uib_list(30), encoding="utf-8")
        read = callkit.read_application_file(path)
        lines = JsonLines()
        for report in [
            *intpart.review_rows(read.applications),
            *intpart.review_rows(read.applications),
        ]:
            expected = json.dumps({"type": "application", **report.to_dict()}, ensure_ascii=False)
            assert lines.application(report) == expected

    def test_unreadable_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that cannot be read at all prints nothing, and exits 2."""
        status = main(["check", "intpart-2022", str(tmp_path / "none.csv"), "--format", "jsonl"])
        out, err = capsys.readouterr()
        assert (status, out) == (2, "")
        assert "no such file" in err

    def test_invalid_further_down(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """CSV that stops being valid: the rows before it, then the summary with the problem."""
        path = tmp_path / "list.csv"
        path.write_text('title,institution,theme\nA,UiB,x\nB,UiB,"open\n', encoding="utf-8")
        status = main(["check", "intpart-2022", str(path), "--format", "jsonl"])
        out, err = capsys.readouterr()
        *applications, summary = map(json.loads, out.splitlines())
        assert status == 2
        assert [a["source"] for a in applications] == [f"{path}:2"]
        assert [p["message"] for p in summary["problems"]] == [
            "not valid CSV: unexpected end of data"
        ]
        assert "not valid CSV" in err
