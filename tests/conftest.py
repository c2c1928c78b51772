"""Shared fixtures: a fresh registry for each test, and the installed INTPART call."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

import callkit

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads or writes the cache of summaries in the user's home."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        patch.delenv("CALLKIT_DISABLE_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True)
def _fresh_discovery() -> Iterator[None]:
    """Each test discovers plugins anew, so none sees another's registry."""
    callkit.clear_cache()
    yield
    callkit.clear_cache()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in an English locale, whatever the machine's, unless it sets one."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def intpart() -> callkit.Call:
    """The intpart-2022 call, found through its entry point: the latest version."""
    callkit.clear_cache()
    return callkit.get_call("intpart-2022")


@pytest.fixture(scope="session")
def published() -> callkit.Call:
    """The intpart-2022 call as first published, on 2 February 2022."""
    callkit.clear_cache()
    return callkit.get_call("intpart-2022", as_of=dt.date(2022, 2, 2))
