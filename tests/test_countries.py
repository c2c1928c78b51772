"""Reading a country: codes, names in English and Norwegian, aliases and alpha-3 codes."""

from __future__ import annotations

import pytest

from callkit._countries import country_code


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
