"""Applying an amendment's changes to the plain data of a definition.

This works on dicts and lists alone, so that a definition's latest version can be read
without building the model (as ``callkit calls`` does to list titles and deadlines).
"""

from __future__ import annotations

import copy
from typing import Any

IDENTITIES = ("id", "code", "key", "institution", "country", "kind")
"""The keys by which a path names an item of a list, tried in this order."""


def _step(node: Any, segment: str, path: str) -> Any:  # noqa: ANN401
    if isinstance(node, dict):
        if segment not in node:
            msg = f"{path}: there is no {segment!r} here"
            raise ValueError(msg)
        return node[segment]
    if isinstance(node, list):
        return node[_index(node, segment, path)]
    msg = f"{path}: {segment!r} is inside a value that has no parts"
    raise ValueError(msg)


def _index(items: list[Any], segment: str, path: str) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and any(item.get(k) == segment for k in IDENTITIES):
            return i
    if segment.isdigit() and int(segment) < len(items):
        return int(segment)
    msg = f"{path}: no item of this list is {segment!r}"
    raise ValueError(msg)


def apply(data: dict[str, Any], op: str, path: str, value: Any) -> None:  # noqa: ANN401
    """Apply one change (``add``, ``remove`` or ``set`` at *path*) to *data*, in place."""
    *parents, last = path.split(".")
    node: Any = data
    for i, segment in enumerate(parents):
        node = _step(node, segment, ".".join(parents[: i + 1]))
    if op == "set":
        if isinstance(node, list):
            node[_index(node, last, path)] = copy.deepcopy(value)
        elif isinstance(node, dict):
            node[last] = copy.deepcopy(value)
        else:
            msg = f"{path}: cannot set a part of a value that has no parts"
            raise ValueError(msg)
        return
    if op == "remove":
        if not isinstance(node, list):
            msg = f"{path}: only an item of a list can be removed"
            raise ValueError(msg)
        del node[_index(node, last, path)]
        return
    target = _step(node, last, path) if not isinstance(node, dict) else node.get(last)
    if target is None and isinstance(node, dict):
        target = node[last] = []
    if not isinstance(target, list):
        msg = f"{path}: only a list can be added to"
        raise ValueError(msg)  # noqa: TRY004
    target.append(copy.deepcopy(value))
