"""The cache of summaries: `callkit calls` reads a definition file again only when it changed."""

from __future__ import annotations

import json
import os
import textwrap
from typing import TYPE_CHECKING, Any

import pytest

import callkit
from callkit import _cache
from callkit._cli import main
from samples import (
    AN_HOUR_AGO,
    age,
    count_definition_reads,
    demo_site,
    run_twice,
    write_distribution,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path with one data plugin, ``demo-2030``, written an hour ago."""
    return demo_site(tmp_path, monkeypatch, "plugin_cached")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache file, in a cache folder of the test's own.

    The test's files were all written a moment ago, and nothing changes them behind its
    back: files are kept however recently they changed, unless a test says otherwise.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(_cache, "RECENT_NS", 0)
    return tmp_path / "cache" / "callkit" / "summaries.json"


def _calls(capsys: pytest.CaptureFixture[str]) -> tuple[list[dict[str, Any]], str]:
    """What `callkit calls --format json` lists, from a fresh discovery, and its warnings."""
    callkit.clear_cache()
    assert main(["calls", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def _demo(listed: list[dict[str, Any]]) -> dict[str, Any]:
    (demo,) = (c for c in listed if c["id"] == "demo-2030")
    return demo


@pytest.mark.usefixtures("site", "cache")
class TestKept:
    """A definition file's summary is kept, and used while the file stays as it was."""

    def test_second_listing_reads_no_file(
        self,
        cache: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The second listing is the first, without reading a definition file."""
        first, _ = _calls(capsys)
        assert cache.is_file()
        read = count_definition_reads(monkeypatch)
        second, err = _calls(capsys)
        assert second == first
        assert read == []
        assert err == ""
        assert _demo(second)["deadline"] == "2030-03-01T12:00:00+01:00"

    def test_same_summary(self) -> None:
        """The kept summary equals the one read from the file, deadlines and all."""
        fresh = callkit.Registry.from_entry_points()
        read = [fresh.summary(i) for i in fresh.ids()]
        kept = callkit.Registry.from_entry_points()
        assert [kept.summary(i) for i in kept.ids()] == read

    def test_changed_file_is_read_again(
        self, site: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file changed since, even to the same size, is read again."""
        _calls(capsys)
        path = site / "plugin_cached" / "demo.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('en = "Demo" }\nprog', 'en = "Omed" }\nprog'), "utf-8")
        assert len(path.read_text(encoding="utf-8")) == len(text)
        age(path, AN_HOUR_AGO // 2)
        assert _demo(_calls(capsys)[0])["title"] == "Omed"

    def test_file_just_changed_is_not_kept(
        self,
        site: Path,
        cache: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A file changed a moment ago may change again within its clock's tick: not kept."""
        monkeypatch.setattr(_cache, "RECENT_NS", 2 * 10**9)
        os.utime(site / "plugin_cached" / "demo.toml")
        _calls(capsys)
        kept = json.loads(cache.read_text(encoding="utf-8"))["files"] if cache.exists() else {}
        assert not any(path.endswith("demo.toml") for path in kept)

    def test_invalid_definition_is_not_kept(
        self, site: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A definition that cannot be summarised is reported each time, as without a cache."""
        write_distribution(
            site,
            "plugin-broken",
            "1.0",
            "[callkit.calls]\nbroken-2030 = plugin_broken/call.toml\n",
            {"plugin_broken/call.toml": 'id = "broken-2030"\ncurrency = 5\n'},
        )
        age(site / "plugin_broken" / "call.toml")
        for _ in range(2):
            listed, err = _calls(capsys)
            assert "broken-2030" not in {c["id"] for c in listed}
            assert "callkit: warning: broken-2030 is left out" in err
            assert "$.title" in err or "$.currency" in err


@pytest.mark.usefixtures("site", "cache")
class TestHarmless:
    """A cache that is off, damaged or cannot be written changes nothing the user sees."""

    def test_turned_off(
        self,
        cache: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """With CALLKIT_DISABLE_CACHE=1 nothing is written, and every file is read."""
        monkeypatch.setenv("CALLKIT_DISABLE_CACHE", "1")
        first, _ = _calls(capsys)
        read = count_definition_reads(monkeypatch)
        assert _calls(capsys)[0] == first
        assert any(path.endswith("demo.toml") for path in read)
        assert not cache.parent.exists()

    @pytest.mark.parametrize(
        "damage",
        [
            b"\xff\xfe not JSON at all",
            b"[]",
            b'{"header": 1, "files": []}',
            b"[" * 100_000,
        ],
    )
    def test_damaged(self, cache: Path, capsys: pytest.CaptureFixture[str], damage: bytes) -> None:
        """A damaged cache counts as empty, and is written anew."""
        first, _ = _calls(capsys)
        cache.write_bytes(damage)
        listed, err = _calls(capsys)
        assert (listed, err) == (first, "")
        assert json.loads(cache.read_text(encoding="utf-8"))["files"]

    @pytest.mark.parametrize(
        "summary",
        [
            [1, 2],
            ["demo-2030", "Demo", "Demo", "Demo", "single", [["2030-03-01", "12:00", "Nowhere/X"]]],
            ["demo-2030", "Demo", "Demo", "Demo", "single", [["tomorrow", "12:00", "UTC"]]],
            "demo",
        ],
    )
    def test_damaged_entry(
        self,
        cache: Path,
        capsys: pytest.CaptureFixture[str],
        summary: Any,
    ) -> None:
        """A kept summary that does not make sense is read again from the file."""
        first, _ = _calls(capsys)
        data = json.loads(cache.read_text(encoding="utf-8"))
        (key,) = (k for k in data["files"] if k.endswith("demo.toml"))
        data["files"][key]["summary"] = summary
        cache.write_text(json.dumps(data), encoding="utf-8")
        assert _calls(capsys) == (first, "")

    def test_cannot_be_written(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A cache folder that cannot be made is no error."""
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("", encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
        listed, err = _calls(capsys)
        assert _demo(listed)["title"] == "Demo"
        assert err == ""

    def test_relative_cache_home_is_ignored(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """As the XDG rules say, a relative XDG_CACHE_HOME is ignored for ~/.cache."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("XDG_CACHE_HOME", "relative")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
        _calls(capsys)
        assert (tmp_path / "home" / ".cache" / "callkit" / "summaries.json").is_file()
        assert not (tmp_path / "relative").exists()


@pytest.mark.usefixtures("cache")
def test_listing_from_the_cache_imports_no_toml_parser(site: Path) -> None:
    """Once every summary is kept, `callkit calls` parses no TOML."""
    code = textwrap.dedent("""
        import sys, io, contextlib
        from callkit import _cache
        from callkit._cli import main
        _cache.RECENT_NS = 0  # the test wrote the files a moment ago
        with contextlib.redirect_stdout(io.StringIO()):
            main(['calls'])
        print('tomllib' in sys.modules)
    """)
    runs = run_twice(code, site)
    assert runs == ["True", "False"]
