"""The INTPART programme's 2022 call and the University of Bergen's policy for it.

The call is data (``intpart-2022.toml`` beside this module); this plugin only tells
callkit where to find it. It is registered under the entry point group ``callkit.calls``.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from callkit import load_call

if TYPE_CHECKING:
    from callkit import Call

__all__ = ["intpart_2022"]


def intpart_2022() -> Call:
    """The call ``intpart-2022`` as first published on 2 February 2022."""
    return load_call(files(__name__) / "intpart-2022.toml")
