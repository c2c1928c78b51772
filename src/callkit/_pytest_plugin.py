"""A pytest plugin that runs the example cases call plugins ship, as test items.

It is registered through the ``pytest11`` entry point and does nothing unless asked:
``pytest --callkit`` runs the cases of every installed call, ``--callkit=ID,ID`` those of
the named calls, and the ini option ``callkit_cases = true`` turns it on for a project.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from callkit._cases import Case, CaseResult
    from callkit._versions import CallDefinition


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--callkit`` and the ``callkit_cases`` ini option."""
    group = parser.getgroup("callkit")
    group.addoption(
        "--callkit",
        action="store",
        nargs="?",
        const="*",
        default=None,
        metavar="CALL_IDS",
        help="run the example cases of the installed calls (all, or comma-separated ids)",
    )
    parser.addini(
        "callkit_cases", "run the example cases of the installed calls", type="bool", default=False
    )


class CaseFailedError(Exception):
    """A case's call did not find what the case expects."""


class CaseItem(pytest.Item):
    """One example case of a call."""

    def __init__(self, *, case: Case, definition: CallDefinition, **kwargs: Any) -> None:  # noqa: ANN401
        """Keep the case and the definition it runs against."""
        super().__init__(**kwargs)
        self.case = case
        self.definition = definition
        self.result: CaseResult | None = None

    def runtest(self) -> None:
        """Run the case; fail with what did not match."""
        from callkit._cases import run_case  # noqa: PLC0415

        self.result = run_case(self.definition, self.case)
        if not self.result.passed:
            raise CaseFailedError("\n".join(self.result.problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        """Say what the call found that the case did not expect, without a traceback."""
        if isinstance(excinfo.value, CaseFailedError):
            return f"{self.case.name} ({self.case.origin}):\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is written."""
        return Path(self.case.origin.split(":", 1)[0]), None, f"{self.case.call}: {self.case.name}"


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add one item per example case of the calls asked for."""
    wanted = config.getoption("callkit") or ("*" if config.getini("callkit_cases") else None)
    if wanted is None:
        return
    from callkit._registry import Registry  # noqa: PLC0415

    registry = Registry.from_entry_points()
    ids = registry.ids() if wanted == "*" else [i.strip() for i in wanted.split(",") if i.strip()]
    for call_id in ids:
        cases = registry.cases(call_id)
        if not cases:
            continue
        definition = registry.definition(call_id)
        items.extend(
            CaseItem.from_parent(
                session, name=f"callkit[{call_id}][{case.name}]", case=case, definition=definition
            )
            for case in cases
        )
