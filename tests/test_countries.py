"""Reading a country: codes, names in English and Norwegian, aliases, alpha-3 codes; kept tables."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from callkit import _countries
from callkit._countries import (
    _alpha3,
    _babel_version,
    _codes,
    _index,
    _kept,
    _names,
    _normalised_names,
    country_code,
    country_name,
)
from samples import run_twice

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SE", "SE"),
        ("se", "SE"),
        ("ss", "SS"),
        ("Sverige", "SE"),
        ("Sweden", "SE"),
        ("swe", "SE"),
        ("UK", "GB"),
        ("gbr", "GB"),
        ("Storbritannia", "GB"),
        ("usa", "US"),
        ("Sør- Afrika", "ZA"),
        ("Atlantis", None),
        ("xyz", None),
        ("EU", None),
    ],
)
def test_spellings(text: str, code: str | None) -> None:
    """A code wins over a name, a name over an alias, an alias over an alpha-3 code."""
    assert country_code(text) == code


TABLES = ("names-en", "names-nb", "index", "alpha3")
"""The tables of countries callkit makes of babel's data and keeps."""


def _forget() -> None:
    """Forget the tables this process made or read, and where they are kept."""
    for table in (_names, _codes, _index, _alpha3, _normalised_names, _kept):
        table.cache_clear()


def _tables() -> dict[str, dict[str, str]]:
    """Every table, as this process has it (from the cache or made of babel's data)."""
    return {
        "names-en": _names("en"),
        "names-nb": _names("nb"),
        "index": _index(),
        "alpha3": _alpha3(),
    }


def _no_babel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading babel's data fail from now on."""

    def fail(*_args: object) -> dict[str, str]:
        msg = "babel's data was read although the tables are kept"
        raise AssertionError(msg)

    for name in ("_cldr_names", "_cldr_alpha3", "_make_index"):
        monkeypatch.setattr(_countries, name, fail)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The file of kept tables, in a cache folder of the test's own, none made yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _forget()
    yield tmp_path / "cache" / "callkit" / "countries.json"
    _forget()


@pytest.fixture(scope="module")
def fresh() -> dict[str, dict[str, str]]:
    """Every table made of babel's data, with the cache turned off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALLKIT_DISABLE_CACHE", "1")
        _forget()
        tables = _tables()
        _forget()
    return tables


class TestKept:
    """The tables made of babel's data are kept, and read back equal."""

    def test_equal_to_fresh(
        self, kept: Path, fresh: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each table read back from the cache equals the one made of babel's data."""
        assert _tables() == fresh
        assert set(json.loads(kept.read_text(encoding="utf-8"))["tables"]) == set(TABLES)
        _forget()
        _no_babel(monkeypatch)
        assert _tables() == fresh
        assert country_code("Sør- Afrika") == "ZA"
        assert country_name("NO", "nb") == "Norge"

    def test_kept_as_needed(self, kept: Path) -> None:
        """A list of codes needs, and keeps, only the English names."""
        assert country_code("se") == "SE"
        assert set(json.loads(kept.read_text(encoding="utf-8"))["tables"]) == {"names-en"}

    def test_only_the_user_may_read_it(self, kept: Path) -> None:
        """The file is the user's alone."""
        country_code("Sverige")
        if os.name == "posix":
            assert kept.stat().st_mode & 0o777 == 0o600

    def test_under_babels_version(
        self, kept: Path, fresh: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Tables kept under another version of babel are made again, and kept anew."""
        _tables()
        _forget()
        monkeypatch.setattr(_countries, "_babel_version", lambda: "0.0-other")
        assert _tables() == fresh
        assert json.loads(kept.read_text(encoding="utf-8"))["header"]["source"] == "0.0-other"

    def test_babels_version_without_importing_it(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The version the tables are kept under is babel's own, read without importing it."""
        import babel  # noqa: PLC0415

        for name in [m for m in sys.modules if m.split(".")[0] == "babel"]:
            monkeypatch.delitem(sys.modules, name)
        assert _babel_version() == babel.__version__
        assert "babel" not in sys.modules

    @pytest.mark.parametrize(
        "damage",
        [
            "not JSON",
            "[]",
            '{"header": 1, "tables": {}}',
            "[" * 100_000,
        ],
    )
    def test_damaged(self, kept: Path, fresh: dict[str, dict[str, str]], damage: str) -> None:
        """A damaged file counts as empty."""
        _tables()
        kept.write_text(damage, encoding="utf-8")
        _forget()
        assert _tables() == fresh

    @pytest.mark.parametrize("table", [[1], {"SE": 1}, "SE", None])
    def test_damaged_table(
        self, kept: Path, fresh: dict[str, dict[str, str]], table: object
    ) -> None:
        """A table that is not one of text is made again."""
        _tables()
        data = json.loads(kept.read_text(encoding="utf-8"))
        data["tables"]["index"] = table
        kept.write_text(json.dumps(data), encoding="utf-8")
        _forget()
        assert _tables() == fresh

    def test_turned_off(self, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With CALLKIT_DISABLE_CACHE=1 nothing is written."""
        monkeypatch.setenv("CALLKIT_DISABLE_CACHE", "1")
        assert country_code("Sverige") == "SE"
        assert not kept.parent.exists()

    def test_cannot_be_written(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A cache folder that cannot be made is no error."""
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("", encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
        _forget()
        assert country_code("Sverige") == "SE"
        _forget()


@pytest.mark.usefixtures("kept")
def test_second_process_imports_no_babel() -> None:
    """Once the tables are kept, reading countries by name imports no babel."""
    code = textwrap.dedent("""
        import sys
        from callkit._countries import country_code, country_name
        assert country_code("Sør- Afrika") == "ZA" and country_name("ZA") == "South Africa"
        print("babel" in sys.modules)
    """)
    runs = run_twice(code)
    assert runs == ["True", "False"]
