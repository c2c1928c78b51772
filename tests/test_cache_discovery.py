"""The cache of discovery: the installed plugins are found anew only when something changed."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import time
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

import callkit
from callkit import _cache
from callkit._cli import main
from callkit._errors import PluginError
from samples import demo_site, run_twice, write_distribution

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path with one data plugin, ``demo-2030``."""
    for name in [m for m in sys.modules if m.startswith("plugin_")]:
        monkeypatch.delitem(sys.modules, name)
    return demo_site(tmp_path, monkeypatch, "plugin_found")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache file, in a cache folder of the test's own.

    The test's files were all written a moment ago, and nothing changes them behind its
    back: what was found is kept however recently its files changed, unless a test says
    otherwise.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(_cache, "RECENT_NS", 0)
    return tmp_path / "cache" / "callkit" / _cache.DISCOVERY


def _found() -> dict[str, str]:
    """Each call id a fresh discovery finds, with the entry point value it comes from."""
    return {e.id: str(e.value) for e in callkit.Registry.from_entry_points().entries()}


def _scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item for each time the distributions' metadata is read from now on."""
    from callkit import _registry  # noqa: PLC0415

    scans: list[int] = []
    real = _registry.scan_distributions

    def counting(path: list[str]) -> Any:
        scans.append(1)
        return real(path)

    monkeypatch.setattr(_registry, "scan_distributions", counting)
    return scans


def _code_plugin(site: Path, name: str, calls: str, *, api: str | None = None) -> None:
    """Install a code plugin *name* into *site* whose ``make`` copies the demo call."""
    package = name.replace("-", "_")
    points = f"[callkit.calls]\n{calls}\n"
    if api is not None:
        points += f"\n[callkit.api]\n{name} = {api}\n"
    module = f"""
        import attrs, callkit
        def make():
            return attrs.evolve(callkit.get_call("demo-2030"), id="{calls.split(maxsplit=1)[0]}")
    """
    write_distribution(site, name, "2.5", points, {f"{package}.py": module})


@pytest.mark.usefixtures("cache")
class TestKept:
    """What discovery found is kept, and used while nothing on the search path changes."""

    @pytest.mark.usefixtures("site")
    def test_second_discovery_reads_no_metadata(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The second discovery finds the same calls without reading any distribution."""
        scans = _scans(monkeypatch)
        first = _found()
        second = _found()
        assert first == second
        assert first["demo-2030"] == "plugin_found/demo.toml"
        assert "intpart-2022" in first
        assert len(scans) == 1

    def test_calls_found_from_the_cache_load(
        self, site: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A data call and a code call found through the cache load, with their origins."""
        _code_plugin(site, "plugin-coded", "coded-2030 = plugin_coded:make")
        _found()
        scans = _scans(monkeypatch)
        registry = callkit.Registry.from_entry_points()
        assert registry.get("demo-2030").deadline is not None
        assert registry.get("coded-2030").id == "coded-2030"
        (coded,) = (e for e in registry.entries() if e.id == "coded-2030")
        assert coded.origin == "plugin-coded 2.5 (entry point plugin_coded:make)"
        assert scans == []

    def test_api_is_checked_from_the_cache(
        self, site: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A plugin's declared definition API is kept, and checked before it is loaded."""
        _code_plugin(site, "plugin-future", "future-2030 = plugin_future:make", api="99")
        _found()
        scans = _scans(monkeypatch)
        registry = callkit.Registry.from_entry_points()
        with pytest.raises(PluginError, match="definition API 99"):
            registry.get("future-2030")
        assert scans == []

    def test_plugins_command_from_the_cache(
        self, site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`callkit plugins` names each distribution and its version from the cache too."""
        _code_plugin(site, "plugin-listed", "listed-2030 = plugin_listed:make")
        _found()
        callkit.clear_cache()
        scans = _scans(monkeypatch)
        main(["plugins", "--format", "json"])
        listed = {p["call"]: p for p in json.loads(capsys.readouterr().out)}
        assert listed["listed-2030"]["distribution"] == "plugin-listed"
        assert listed["listed-2030"]["version"] == "2.5"
        assert scans == []

    @pytest.mark.usefixtures("site")
    def test_environment_still_chooses(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """CALLKIT_PLUGINS chooses among the calls found, whether found anew or kept."""
        _found()
        scans = _scans(monkeypatch)
        monkeypatch.setenv("CALLKIT_PLUGINS", "demo-2030")
        assert list(_found()) == ["demo-2030"]
        assert scans == []

    def test_folder_name_in_no_encoding(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder whose name is not UTF-8 (Latin-1 here) is searched, kept and listed."""
        try:
            name = os.fsdecode(b"caf\xe9")
            (tmp_path / name).mkdir()
        except (UnicodeDecodeError, OSError):
            pytest.skip("the file system takes only names in its own encoding")
        site = demo_site(tmp_path / name, monkeypatch, "plugin_latin")
        scans = _scans(monkeypatch)
        assert _found()["demo-2030"] == "plugin_latin/demo.toml"
        assert _found()["demo-2030"] == "plugin_latin/demo.toml"
        assert len(scans) == 1
        callkit.clear_cache()
        assert main(["calls"]) == 0
        assert "demo-2030" in capsys.readouterr().out
        assert name in str(site)


@pytest.mark.usefixtures("cache")
class TestChanged:
    """Anything that changes what would be found makes discovery look again."""

    def test_installed(self, site: Path) -> None:
        """A distribution installed since is found."""
        _found()
        _code_plugin(site, "plugin-new", "new-2030 = plugin_new:make")
        assert "new-2030" in _found()

    def test_uninstalled(self, site: Path) -> None:
        """A distribution removed since is no longer found."""
        assert "demo-2030" in _found()
        shutil.rmtree(site / "plugin_found-1.0.dist-info")
        assert "demo-2030" not in _found()

    def test_entry_points_edited_in_place(self, site: Path) -> None:
        """An ``entry_points.txt`` changed where it lies is read again."""
        _found()
        points = site / "plugin_found-1.0.dist-info" / "entry_points.txt"
        with points.open("a", encoding="utf-8") as file:
            file.write("again-2030 = plugin_found/demo.toml\n")
        assert _found()["again-2030"] == "plugin_found/demo.toml"

    def test_entry_points_added(self, site: Path) -> None:
        """A distribution that had no entry points and now has is read again."""
        _code_plugin(site, "plugin-late", "late-2030 = plugin_late:make")
        points = site / "plugin_late-2.5.dist-info" / "entry_points.txt"
        text = points.read_text(encoding="utf-8")
        points.unlink()
        assert "late-2030" not in _found()
        points.write_text(text, encoding="utf-8")
        assert "late-2030" in _found()

    def test_changed_while_looking(self, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """What changed while discovery was looking is not kept under its new stamp."""
        from callkit import _registry  # noqa: PLC0415

        real = _registry.scan_distributions
        points = site / "plugin_found-1.0.dist-info" / "entry_points.txt"

        def changing_after_reading(path: list[str]) -> Any:
            found = real(path)
            # Later than the file system's clock tick after discovery began (4 ms on a
            # Linux of 250 Hz, 16 on Windows), so that the file's times say so.
            time.sleep(0.05)
            with points.open("a", encoding="utf-8") as file:
                file.write("late-2030 = plugin_found/demo.toml\n")
            return found

        monkeypatch.setattr(_registry, "scan_distributions", changing_after_reading)
        assert "late-2030" not in _found()
        monkeypatch.setattr(_registry, "scan_distributions", real)
        scans = _scans(monkeypatch)
        assert "late-2030" in _found()
        assert "late-2030" in _found()
        assert len(scans) == 1  # what the second look found was kept

    def test_current_folder_on_the_path(self, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A path that names the current folder as '' (``python -c``) is kept too."""
        monkeypatch.chdir(site)
        monkeypatch.setenv("PYTHONPATH", ".")  # the user asks for the current folder
        monkeypatch.setattr(sys, "path", ["", *[p for p in sys.path if p != str(site)]])
        scans = _scans(monkeypatch)
        assert "demo-2030" in _found()
        assert "demo-2030" in _found()
        assert len(scans) == 1

    @pytest.mark.usefixtures("site")
    def test_another_search_path(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Each search path is kept on its own: another one is not answered from the first."""
        _found()
        other = tmp_path / "other"
        _code_plugin(other, "plugin-other", "other-2030 = plugin_other:make")
        monkeypatch.syspath_prepend(str(other))
        assert "other-2030" in _found()
        monkeypatch.syspath_prepend(str(tmp_path / "nothing"))
        (tmp_path / "nothing").mkdir()
        assert {"other-2030", "demo-2030"} <= set(_found())


class TestNotKept:
    """What discovery cannot tell has changed, or might change unseen, is not kept."""

    @pytest.mark.usefixtures("site")
    def test_just_changed(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Nothing is kept while a folder or file it depends on changed in the last two seconds."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.setattr(_cache, "RECENT_NS", 2 * 10**9)
        assert "demo-2030" in _found()
        kept = tmp_path / "cache" / "callkit" / _cache.DISCOVERY
        assert not kept.exists()

    @pytest.mark.usefixtures("cache")
    def test_zip_file_on_the_path(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Distributions inside a zip file are found, every time: such a path is not kept."""
        archive = tmp_path / "plugins.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("plugin_zipped-1.0.dist-info/METADATA", "Name: plugin-zipped\n")
            zipped.writestr(
                "plugin_zipped-1.0.dist-info/entry_points.txt",
                "[callkit.calls]\nzipped-2030 = plugin_zipped:make\n",
            )
        monkeypatch.syspath_prepend(str(archive))
        scans = _scans(monkeypatch)
        assert "zipped-2030" in _found()
        assert "zipped-2030" in _found()
        assert len(scans) == 2

    @pytest.mark.usefixtures("site")
    def test_turned_off(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With CALLKIT_DISABLE_CACHE=1 nothing is kept."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.setenv("CALLKIT_DISABLE_CACHE", "1")
        monkeypatch.setattr(_cache, "RECENT_NS", 0)
        assert "demo-2030" in _found()
        assert not (tmp_path / "cache").exists()

    @pytest.mark.parametrize(
        "damage",
        [
            b"",
            b"{not json",
            b"[]",
            b'{"header": 1}',
            b"\xff\xfe",
        ],
    )
    @pytest.mark.usefixtures("site")
    def test_damaged_file(self, cache: Path, damage: bytes) -> None:
        """A damaged cache counts as empty, and is written anew."""
        cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache.write_bytes(damage)
        cache.chmod(0o600)
        assert "demo-2030" in _found()
        assert "demo-2030" in json.dumps(json.loads(cache.read_text(encoding="utf-8")))

    @pytest.mark.parametrize(
        "found",
        [
            None,
            "nothing",
            [["folder", "key"]],
            [["folder", "key", [["callkit.calls", "x"]]]],
            [["folder", 7, [["callkit.calls", "x", "y"]]]],
            [["folder", "key", ["abc"]]],
            [["folder", "key", [{"a": 1, "b": 2, "c": 3}]]],
            [["folder", "key", [["console_scripts", "x", "y"]]]],
            ["abc"],
        ],
    )
    @pytest.mark.usefixtures("site")
    def test_damaged_entry(self, cache: Path, found: object) -> None:
        """A kept entry that is not what discovery found counts as none."""
        assert "demo-2030" in _found()
        data = json.loads(cache.read_text(encoding="utf-8"))
        for entry in data["paths"].values():
            entry["found"] = found
        cache.write_text(json.dumps(data), encoding="utf-8")
        assert "demo-2030" in _found()

    @pytest.mark.usefixtures("site")
    @pytest.mark.parametrize("folder", ["nowhere\x00at all", "nowhere\ud800"])
    @pytest.mark.parametrize("found_there", [False, True])
    def test_folder_no_file_can_have(self, cache: Path, folder: str, found_there: bool) -> None:
        """A kept folder name that no file can have (a NUL in it) stops nothing.

        Kept as one of the folders watched, it is no file, as before; kept as where a
        distribution was found, it is damage.
        """
        assert "demo-2030" in _found()
        data = json.loads(cache.read_text(encoding="utf-8"))
        for entry in data["paths"].values():
            entry["folders"].append(folder)
            entry["stamps"].append(None)
            if found_there:
                entry["found"][0][0] = folder
        cache.write_text(json.dumps(data), encoding="utf-8")
        callkit.clear_cache()
        assert callkit.get_call("demo-2030").id == "demo-2030"
        assert "demo-2030" in _found()

    @pytest.mark.usefixtures("site")
    def test_distribution_found_outside_the_folders(self, cache: Path) -> None:
        """A kept distribution that lies in no folder watched counts as damage."""
        assert "demo-2030" in _found()
        data = json.loads(cache.read_text(encoding="utf-8"))
        for entry in data["paths"].values():
            for item in entry["found"]:
                item[0] = "/somewhere/else/plugin_found-1.0.dist-info"
        cache.write_text(json.dumps(data), encoding="utf-8")
        (demo,) = (e for e in callkit.Registry.from_entry_points().entries() if e.id == "demo-2030")
        assert (demo.distribution, demo.version) == ("plugin-found", "1.0")

    @pytest.mark.usefixtures("cache")
    def test_finder_of_its_own(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Distributions a finder of its own finds outside the search path are found anew."""
        from importlib.metadata import DistributionFinder, MetadataPathFinder  # noqa: PLC0415

        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()

        class Elsewhere(DistributionFinder):
            def find_spec(self, *_args: object) -> None:
                return None

            def find_distributions(self, context: Any = None) -> Any:  # noqa: ARG002
                return MetadataPathFinder.find_distributions(
                    DistributionFinder.Context(path=[str(elsewhere)])
                )

        monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Elsewhere()])
        assert "alpha-2030" not in _found()  # nothing there yet
        _code_plugin(elsewhere, "plugin-alpha", "alpha-2030 = plugin_alpha:make")
        assert "alpha-2030" in _found()
        _code_plugin(elsewhere, "plugin-beta", "beta-2030 = plugin_beta:make")
        assert {"alpha-2030", "beta-2030"} <= set(_found())


def test_second_start_imports_no_metadata_library(site: Path, tmp_path: Path) -> None:
    """Once what discovery found is kept, finding a call imports no ``importlib_metadata``."""
    code = textwrap.dedent(f"""
        import os, sys
        os.environ["XDG_CACHE_HOME"] = {str(tmp_path / "own-cache")!r}
        from callkit import _cache
        _cache.RECENT_NS = 0  # the test wrote the files a moment ago
        import callkit
        call = callkit.get_call("demo-2030")
        print(call.id, "importlib_metadata" in sys.modules)
    """)
    first, second = run_twice(code, site)
    assert first == "demo-2030 True"
    assert second == "demo-2030 False"
