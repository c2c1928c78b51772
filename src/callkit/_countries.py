"""Countries: ISO 3166 codes and their names in English and Norwegian Bokmål.

Names come from CLDR through ``babel``, which is imported the first time a country is read
or named, never when ``callkit`` is imported. Reading CLDR's files and folding the names
costs more than checking a short list, so the tables made of them are kept in callkit's
cache (``countries.json``) under babel's version: a later process reads them from there
and imports no babel at all.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from callkit._cache import TableCache
    from callkit._text import Language

# CLDR region codes that are not countries: unknown region, EU, euro area, UN, outlying
# Oceania and the pseudo-locales.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})

# Common English names CLDR keeps only as variants; each maps to one country.
_ALIASES = {
    "united states of america": "US",
    "usa": "US",
    "uk": "GB",
    "great britain": "GB",
    "republic of korea": "KR",
    "russian federation": "RU",
    "people's republic of china": "CN",
    "prc": "CN",
}

_SPACED_HYPHEN = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


_CODE = re.compile(r"[A-Z]{2}")


def check_country(_instance: object, _attribute: object, value: str) -> None:
    """An attrs validator: *value* is written as an ISO 3166 alpha-2 code (``NO``)."""
    check_code(_instance, _attribute, value)


def check_code(_instance: object, _attribute: object, value: str | None) -> None:
    """An attrs validator: *value*, if given, is written as an ISO 3166 alpha-2 code."""
    if value is not None and not _CODE.fullmatch(value):
        msg = f"{value!r} is not written as an ISO 3166 country code, such as 'NO'"
        raise ValueError(msg)


def check_codes(instance: object, attribute: object, value: tuple[str, ...]) -> None:
    """An attrs validator: each of *value* is written as an ISO 3166 alpha-2 code."""
    for code in value:
        check_code(instance, attribute, code)


@lru_cache(maxsize=8192)
def normalise_name(text: str) -> str:
    """Fold case, accents and spacing so that "Sør- Afrika" matches "Sør-Afrika".

    The same few names (institutions, schemes, cost categories) come back in every row of
    a list, so the folded forms are remembered.
    """
    text = _SPACED_HYPHEN.sub("-", text.strip())
    text = _SPACES.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _babel_version() -> str | None:
    """The version of babel, read from its package without importing it (``None``: not found).

    Importing babel costs more than reading the tables from the cache; its version is
    written in its ``__init__.py``, the one version the cache is kept under.
    """
    babel = sys.modules.get("babel")
    if babel is not None:
        return str(babel.__version__)
    from importlib.util import find_spec  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    spec = find_spec("babel")
    if spec is None or spec.origin is None:
        return None
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    found = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", source, re.MULTILINE)
    return found.group(1) if found else None


@cache
def _kept() -> TableCache:
    from callkit._cache import TableCache  # noqa: PLC0415

    return TableCache.default("countries.json", _babel_version(), "_countries.py")


def _table(name: str, make: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The table *name*, from the cache, or made of babel's data and kept."""
    kept = _kept()
    table = kept.get(name)
    if table is None:
        table = make()
        kept.put(name, table)
    return table


@cache
def _names(lang: Language) -> dict[str, str]:
    """The countries' names in *lang*, by alpha-2 code."""
    return _table(f"names-{lang}", lambda: _cldr_names(lang))


def _cldr_names(lang: Language) -> dict[str, str]:
    from babel import Locale  # noqa: PLC0415  (babel's data loads only when needed)

    territories = Locale.parse(lang).territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES  # noqa: PLR2004
    }


@cache
def _codes() -> dict[str, str]:
    """The alpha-2 codes, folded: needs only the English names, not the Norwegian."""
    return {code.casefold(): code for code in _names("en")}


@cache
def _index() -> dict[str, str]:
    """English and Norwegian names, folded, and the common aliases."""
    return _table("index", _make_index)


def _make_index() -> dict[str, str]:
    index = dict(_ALIASES)
    for lang in ("en", "nb"):
        for code, name in _names(lang).items():
            index[normalise_name(name)] = code
    return index


@cache
def _alpha3() -> dict[str, str]:
    """ISO alpha-3 codes, folded; CLDR keeps them in its global data, dear to load."""
    return _table("alpha3", _cldr_alpha3)


def _cldr_alpha3() -> dict[str, str]:
    from babel.core import get_global  # noqa: PLC0415

    return {
        code.casefold(): targets[0]
        for code, targets in get_global("territory_aliases").items()
        if len(code) == 3 and code.isalpha() and len(targets) == 1  # noqa: PLR2004
    }


def is_country(code: str) -> bool:
    """Whether *code* is an ISO 3166 alpha-2 code of a country CLDR names."""
    return code in _names("en")


def country_code(text: str) -> str | None:
    """The alpha-2 code for an alpha-2 or alpha-3 code or an English or Norwegian name.

    An alpha-2 code is looked for first, then a name or an alias, then an alpha-3 code;
    each table is loaded only when a text gets that far, so that a list of codes loads
    no Norwegian names and no alpha-3 codes.
    """
    key = normalise_name(text)
    if len(key) == 2:  # noqa: PLR2004
        code = _codes().get(key)
        if code is not None:
            return code
    code = _index().get(key)
    if code is None and len(key) == 3:  # noqa: PLR2004
        code = _alpha3().get(key)
    return code


def country_name(code: str, lang: Language = "en") -> str:
    """The name of the country *code* in *lang*, or the code itself if CLDR lacks it."""
    return _names(lang).get(code, code)


def nearest_countries(text: str, n: int = 3) -> list[str]:
    """The country names nearest to *text*, for a helpful error."""
    import difflib  # noqa: PLC0415

    names = _normalised_names()
    matches = difflib.get_close_matches(normalise_name(text), names, n=n, cutoff=0.6)
    return [names[m] for m in matches]


@cache
def _normalised_names() -> dict[str, str]:
    return {normalise_name(v): v for lang in ("en", "nb") for v in _names(lang).values()}
