"""Discovery: calls come from entry points, load lazily, and a broken plugin is named."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import pytest

import callkit
from callkit import CallNotFoundError, PluginError
from callkit._registry import search_path
from samples import VALID, write_distribution

if TYPE_CHECKING:
    from pathlib import Path


def install(
    site: Path,
    dist: str,
    version: str,
    calls: dict[str, str],
    module: str,
    *,
    api: str | None = None,
) -> None:
    """Write a throwaway code plugin into *site*: a module and its entry points."""
    package = dist.replace("-", "_")
    lines = "\n".join(f"{name} = {package}:{attr}" for name, attr in calls.items())
    text = f"[callkit.calls]\n{lines}\n"
    if api is not None:
        text += f"\n[callkit.api]\n{dist} = {api}\n"
    write_distribution(site, dist, version, text, {f"{package}.py": module})


COPY_OF_INTPART = """
    import attrs
    import callkit

    def make(new_id):
        return attrs.evolve(callkit.get_call("intpart-2022"), id=new_id)

    def demo():
        return make("demo-2030")
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path for throwaway distributions, forgotten after the test."""
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith("plugin_")]:
        monkeypatch.delitem(sys.modules, name)
    callkit.clear_cache()
    return tmp_path


class TestGivenCalls:
    """A registry built from given calls, without scanning the environment."""

    def test_lookup(self, intpart: callkit.Call) -> None:
        """Ids are listed sorted and each call is returned as given."""
        other = callkit.structure_call({**callkit.unstructure_call(intpart), "id": "another-2023"})
        registry = callkit.Registry.from_calls([intpart, other])
        assert registry.ids() == ["another-2023", "intpart-2022"]
        assert registry.get("intpart-2022") is intpart

    def test_unknown_suggests(self, intpart: callkit.Call) -> None:
        """An unknown id is a LookupError naming the nearest ids."""
        registry = callkit.Registry.from_calls([intpart])
        with pytest.raises(CallNotFoundError) as caught:
            registry.get("intpart2022")
        assert isinstance(caught.value, LookupError)
        assert caught.value.suggestions == ("intpart-2022",)
        assert "did you mean 'intpart-2022'?" in str(caught.value)

    def test_nothing_close(self) -> None:
        """With nothing close, the message lists what is installed, or says nothing is."""
        with pytest.raises(CallNotFoundError, match="no call plugin is installed"):
            callkit.Registry.from_calls([]).get("x")


class TestEntryPoints:
    """Plugins found through the ``callkit.calls`` entry point group."""

    def test_third_party_plugin(self, site: Path) -> None:
        """A newly installed distribution's call is listed and loads."""
        install(site, "plugin-demo", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        assert {"demo-2030", "intpart-2022"} <= set(callkit.list_calls())
        call = callkit.get_call("demo-2030")
        assert call.id == "demo-2030"
        assert call.check(VALID).ok

    def test_listing_imports_nothing(self, site: Path) -> None:
        """Listing ids reads metadata only; the plugin is imported when its call is asked for."""
        install(site, "plugin-lazy", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        assert "demo-2030" in callkit.list_calls()
        assert "plugin_lazy" not in sys.modules
        callkit.get_call("demo-2030")
        assert "plugin_lazy" in sys.modules

    def test_loaded_once(self, site: Path) -> None:
        """Asking twice gives the same object: a call is built once per process."""
        install(site, "plugin-once", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        assert callkit.get_call("demo-2030") is callkit.get_call("demo-2030")

    def test_import_error_is_contained(self, site: Path) -> None:
        """A plugin that fails to import names its distribution; other calls still load."""
        install(
            site,
            "plugin-broken",
            "0.3",
            {"broken-2030": "make"},
            "import no_such_module_anywhere\n",
        )
        with pytest.raises(PluginError) as caught:
            callkit.get_call("broken-2030")
        message = str(caught.value)
        assert "plugin-broken 0.3" in message
        assert "no_such_module_anywhere" in message
        assert isinstance(caught.value.__cause__, ModuleNotFoundError)
        assert callkit.get_call("intpart-2022").id == "intpart-2022"

    def test_exception_in_plugin(self, site: Path) -> None:
        """A plugin whose function raises is a PluginError with the cause chained."""
        install(
            site,
            "plugin-raises",
            "1.0",
            {"raises-2030": "make"},
            "def make():\n    raise RuntimeError('definition server down')\n",
        )
        with pytest.raises(PluginError, match="definition server down") as caught:
            callkit.get_call("raises-2030")
        assert isinstance(caught.value.__cause__, RuntimeError)

    def test_not_a_call(self, site: Path) -> None:
        """A plugin that gives something other than a Call is refused."""
        install(
            site,
            "plugin-wrong",
            "1.0",
            {"wrong-2030": "make"},
            "def make():\n    return {'id': 'wrong-2030'}\n",
        )
        with pytest.raises(PluginError, match=r"gave a dict, not a callkit\.Call"):
            callkit.get_call("wrong-2030")

    def test_id_mismatch(self, site: Path) -> None:
        """An entry point named for one id that gives a call with another is refused."""
        install(site, "plugin-mismatch", "1.0", {"claimed-2030": "demo"}, COPY_OF_INTPART)
        with pytest.raises(PluginError, match="registers 'claimed-2030' but its call's id"):
            callkit.get_call("claimed-2030")

    def test_same_id_twice(self, site: Path) -> None:
        """Two distributions offering one id is an error naming both, not first-one-wins."""
        install(site, "plugin-first", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        install(site, "plugin-second", "2.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        with pytest.raises(PluginError) as caught:
            callkit.get_call("demo-2030")
        assert "plugin-first 1.0" in str(caught.value)
        assert "plugin-second 2.0" in str(caught.value)

    def test_broken_plugin_on_command_line(
        self, site: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The command line reports a broken plugin in one line and exits 2."""
        from callkit._cli import main  # noqa: PLC0415

        install(site, "plugin-cli", "1.0", {"broken-2030": "make"}, "raise ImportError('x')\n")
        assert main(["show", "broken-2030"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("callkit: error: the plugin for 'broken-2030' from plugin-cli 1.0")
        assert "Traceback" not in err


def test_import_loads_no_plugin_nor_heavy_library() -> None:
    """Importing callkit imports no plugin, no babel and no calendar or spreadsheet library."""
    code = (
        "import sys, json, callkit\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'callkit_intpart', 'babel', 'icalendar', 'openpyxl', 'holidays', 'rich', "
        "'importlib_metadata'})))\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_calls_lists_the_others_when_one_is_broken(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`callkit calls` leaves a broken plugin out with a warning and lists the rest."""
    from callkit._cli import main  # noqa: PLC0415

    install(site, "plugin-bad", "1.0", {"bad-2030": "make"}, "raise ImportError('gone')\n")
    assert main(["calls"]) == 0
    captured = capsys.readouterr()
    assert "intpart-2022" in captured.out
    assert "bad-2030 is left out" in captured.err


BROKEN = "raise ImportError('this plugin is broken')\n"


class TestControl:
    """The environment chooses which plugins are discovered."""

    def test_allow_list(self, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """CALLKIT_PLUGINS restricts discovery to the named entry points."""
        install(site, "plugin-one", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        monkeypatch.setenv("CALLKIT_PLUGINS", "demo-2030")
        assert callkit.list_calls() == ["demo-2030"]

    def test_autoload_off(self, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """CALLKIT_DISABLE_PLUGIN_AUTOLOAD loads nothing but what CALLKIT_PLUGINS names."""
        install(site, "plugin-two", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        monkeypatch.setenv("CALLKIT_DISABLE_PLUGIN_AUTOLOAD", "1")
        assert callkit.list_calls() == []
        monkeypatch.setenv("CALLKIT_PLUGINS", "intpart-2022, demo-2030")
        callkit.clear_cache()
        assert callkit.list_calls() == ["demo-2030", "intpart-2022"]

    def test_current_directory(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A dist-info in the current directory is no plugin unless PYTHONPATH names it."""
        install(tmp_path, "plugin-here", "1.0", {"here-2030": "make"}, BROKEN)
        monkeypatch.chdir(tmp_path)
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.delenv("PYTHONPATH", raising=False)
        callkit.clear_cache()
        assert "here-2030" not in callkit.list_calls()
        monkeypatch.setenv("PYTHONPATH", str(tmp_path))
        callkit.clear_cache()
        assert "here-2030" in callkit.list_calls()

    def test_missing_and_zipped_entries(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An entry of sys.path that does not exist is passed over; a zip archive is read."""
        folder = tmp_path / "zipped"
        install(folder, "plugin-zipped", "1.0", {"zip-2030": "make"}, BROKEN)
        archive = tmp_path / "plugins.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            for file in folder.rglob("*"):
                zipped.write(file, file.relative_to(folder).as_posix())
        nowhere = tmp_path / "nowhere"
        monkeypatch.syspath_prepend(str(archive))
        monkeypatch.syspath_prepend(str(nowhere))
        callkit.clear_cache()
        assert "zip-2030" in callkit.list_calls()
        assert str(archive) in search_path()
        assert str(nowhere) not in search_path()

    def test_sorted(self, site: Path) -> None:
        """Ids are listed sorted, whatever the order of the path."""
        install(site, "plugin-zed", "1.0", {"zz-2030": "make"}, BROKEN)
        install(site, "plugin-abc", "1.0", {"aa-2030": "make"}, BROKEN)
        ids = callkit.list_calls()
        assert ids == sorted(ids)
        assert {"aa-2030", "intpart-2022", "zz-2030"} <= set(ids)


class TestContainment:
    """A broken plugin is reported once and never takes the others down."""

    def test_reported_once(self, site: Path, caplog: pytest.LogCaptureFixture) -> None:
        """The failure is logged once; asking again raises the same error."""
        install(site, "plugin-once-broken", "1.0", {"broken-2030": "make"}, BROKEN)
        registry = callkit.Registry.from_entry_points()
        with pytest.raises(PluginError) as first:
            registry.get("broken-2030")
        with pytest.raises(PluginError) as second:
            registry.get("broken-2030")
        assert first.value is second.value
        assert len([r for r in caplog.records if "broken-2030" in r.getMessage()]) == 1
        assert registry.get("intpart-2022").id == "intpart-2022"

    def test_plugins_command(self, site: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The plugins command lists every plugin with its distribution, version and status."""
        from callkit._cli import main  # noqa: PLC0415

        install(site, "plugin-listed", "2.1", {"broken-2030": "make"}, BROKEN)
        assert main(["plugins", "--format", "json"]) == 0
        rows = {r["call"]: r for r in json.loads(capsys.readouterr().out)}
        assert rows["intpart-2022"]["status"] == "ok"
        assert rows["intpart-2022"]["kind"] == "data"
        broken = rows["broken-2030"]
        assert (broken["distribution"], broken["version"], broken["status"]) == (
            "plugin-listed",
            "2.1",
            "error",
        )
        assert "this plugin is broken" in broken["error"]
        assert main(["plugins"]) == 0
        assert "broken-2030: the plugin for 'broken-2030' from plugin-listed 2.1" in (
            " ".join(capsys.readouterr().out.split())
        )

    def test_strict(
        self, site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """CALLKIT_STRICT makes a broken plugin an error for the commands that meet it."""
        from callkit._cli import main  # noqa: PLC0415

        install(site, "plugin-strict", "1.0", {"broken-2030": "make"}, BROKEN)
        monkeypatch.setenv("CALLKIT_STRICT", "1")
        assert main(["calls"]) == 2
        assert "this plugin is broken" in capsys.readouterr().err
        assert main(["plugins"]) == 2
        capsys.readouterr()

    def test_strict_duplicates(self, site: Path) -> None:
        """In strict mode two plugins with one id are an error at discovery."""
        install(site, "plugin-a", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        install(site, "plugin-b", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART)
        with pytest.raises(PluginError, match="offered twice"):
            callkit.Registry.from_entry_points(strict=True)
        assert "demo-2030" in callkit.Registry.from_entry_points(strict=False)


class TestApiVersion:
    """A plugin written for another definition API is refused before it is imported."""

    def test_incompatible_code_plugin(self, site: Path) -> None:
        """API 2 is refused, naming the supported version; the module is never imported."""
        install(site, "plugin-future", "1.0", {"future-2030": "make"}, BROKEN, api="2")
        with pytest.raises(PluginError, match="definition API 2; this callkit supports version 1"):
            callkit.get_call("future-2030")
        assert "plugin_future" not in sys.modules

    def test_compatible_code_plugin(self, site: Path) -> None:
        """API 1 loads."""
        install(site, "plugin-now", "1.0", {"demo-2030": "demo"}, COPY_OF_INTPART, api="1")
        assert callkit.get_call("demo-2030").id == "demo-2030"

    def test_incompatible_definition(self) -> None:
        """A definition file written for API 2 is refused with the supported version."""
        data = callkit.unstructure_call(callkit.get_call("intpart-2022"))
        with pytest.raises(callkit.DefinitionError, match="supports version 1"):
            callkit.structure_definition({**data, "api": 2})
        assert callkit.structure_definition({**data, "api": 1}).latest.id == "intpart-2022"


def test_invalid_definition_is_contained(site: Path) -> None:
    """A data plugin whose definition is invalid is a PluginError naming the problem's path."""
    write_distribution(
        site,
        "plugin-invalid",
        "0.1",
        "[callkit.calls]\ninvalid-2030 = plugin_invalid/call.toml\n",
        {"plugin_invalid/call.toml": 'id = "invalid-2030"\ncurrency = 5\n'},
    )
    with pytest.raises(PluginError) as caught:
        callkit.get_call("invalid-2030")
    message = str(caught.value)
    assert "plugin-invalid 0.1" in message
    assert "$.currency" in message
    assert isinstance(caught.value.__cause__, callkit.DefinitionError)
    assert callkit.get_call("intpart-2022").id == "intpart-2022"
