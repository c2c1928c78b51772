"""The INTPART programme's 2022 call and the University of Bergen's policy for it.

The call is data (``intpart-2022.toml`` beside this module), registered under the entry
point group ``callkit.calls`` as a definition file: callkit reads it without importing
this package. The functions here are for Python code that wants the call directly.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from callkit import load_definition

if TYPE_CHECKING:
    import datetime as dt

    from callkit import Call, CallDefinition

__all__ = ["definition", "intpart_2022"]


def definition() -> CallDefinition:
    """The call ``intpart-2022`` as published on 2 February 2022, with its amendments."""
    return load_definition(files(__name__) / "intpart-2022.toml")


def intpart_2022(as_of: dt.date | None = None) -> Call:
    """The call ``intpart-2022`` as in force on *as_of* (default: the latest version)."""
    return definition().as_of(as_of)
