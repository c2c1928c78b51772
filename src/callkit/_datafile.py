"""Reading definition files as plain data: TOML or JSON, amounts as exact decimals."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callkit._errors import DefinitionError

if TYPE_CHECKING:
    from collections.abc import Callable
    from importlib.resources.abc import Traversable


def _decimal() -> Callable[[str], Any]:
    """Exact decimals for the numbers a definition holds (decimal loads when first needed)."""
    from decimal import Decimal  # noqa: PLC0415

    return Decimal


def read_definition_data(path: str | Path | Traversable, *, exact: bool = True) -> Any:  # noqa: ANN401
    """The plain data of a TOML or JSON definition file; raises :class:`DefinitionError`.

    Numbers with a point are exact decimals, unless *exact* is false (for a quick look at
    a definition's titles and dates, where no amount is read).
    """
    name = str(path)
    try:
        raw = path.read_bytes() if not isinstance(path, str) else Path(path).read_bytes()
    except OSError as error:
        raise DefinitionError(name, [f"cannot read the file: {error.strerror or error}"]) from error
    try:
        if name.endswith(".toml"):
            data = tomllib.loads(raw.decode("utf-8"), parse_float=_decimal() if exact else float)
        elif name.endswith(".json"):
            data = json.loads(raw, parse_float=_decimal() if exact else float)
        else:
            raise DefinitionError(name, ["a definition is a .toml or .json file"])
    except RecursionError:
        raise DefinitionError(name, ["nested too deeply"]) from None
    except (tomllib.TOMLDecodeError, ValueError) as error:  # JSON, Unicode and number errors
        kind = name.rsplit(".", 1)[-1].upper()
        raise DefinitionError(name, [f"not valid {kind}: {error}"]) from error
    return data
