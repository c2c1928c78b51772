"""The fictional call ``open-science-2030``, which needs a kind of rule of its own.

Its funder limits the length of a project's title, which none of callkit's built-in kinds
of rule checks. :class:`TitleLengthRule` is that kind: a :class:`callkit.Rule` with a
``kind`` of its own, ``title_length``. The call itself is data, in
``open-science-2030.toml`` beside this module, read with a converter that knows the new
kind. callkit finds the call through the entry point
``open-science-2030 = "callkit_tutorial.open_science:definition"``.
"""

from __future__ import annotations

import tomllib
import unicodedata
from decimal import Decimal
from importlib.resources import files
from typing import ClassVar

import attrs

import callkit

__all__ = ["DEFINITION", "TitleLengthRule", "definition", "title_length"]

DEFINITION = "open-science-2030.toml"
"""The definition file of the call, beside this module."""


def title_length(title: str) -> int:
    """The number of characters of *title* as a reader counts them.

    Spaces inside the title count; spaces around it do not. A letter with an accent is one
    character however it is encoded (``é`` may be one code point or two).
    """
    return len(unicodedata.normalize("NFC", title.strip()))


@attrs.frozen(kw_only=True)
class TitleLengthRule(callkit.Rule):
    """The project title must have at most ``maximum`` characters, spaces included."""

    kind: ClassVar[str] = "title_length"
    maximum: int = attrs.field(validator=attrs.validators.ge(1))

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset({"title"})

    def describe(self) -> callkit.Message:
        """What the rule asks, in one sentence, in English and Norwegian."""
        return callkit.msg(
            callkit.Text(
                en="a project title of at most {maximum} characters, spaces included",
                nb="en prosjekttittel på høyst {maximum} tegn, mellomrom medregnet",
            ),
            maximum=self.maximum,
        )

    def compile(self, ctx: callkit.RuleContext) -> callkit.RuleCheck:
        """Build the check: everything that does not depend on the application is done here."""
        citation = ctx.cite(self.provenance)
        maximum = self.maximum

        def check(
            app: callkit.Application, _policy: callkit.InstitutionPolicy | None
        ) -> list[callkit.Finding]:
            length = title_length(app.title)
            if length == 0:
                return [
                    callkit.Finding(
                        rule=self.id,
                        severity=callkit.Severity.INFO,
                        message=callkit.msg(
                            callkit.Text(
                                en="not assessed: no title given",
                                nb="ikke vurdert: ingen tittel oppgitt",
                            )
                        ),
                        source=citation,
                        field="title",
                    )
                ]
            if length <= maximum:
                return []
            return [
                callkit.Finding(
                    rule=self.id,
                    severity=self.severity,
                    message=callkit.msg(
                        callkit.Text(
                            en="the title has {length} characters; at most {maximum} are "
                            "allowed, spaces included",
                            nb="tittelen har {length} tegn; høyst {maximum} er tillatt, "
                            "mellomrom medregnet",
                        ),
                        length=length,
                        maximum=maximum,
                    ),
                    source=citation,
                    field="title",
                    value=str(length),
                    limit=f"at most {maximum}",
                )
            ]

        return check


def definition() -> callkit.CallDefinition:
    """The call ``open-science-2030`` with its amendments, read from its definition file.

    Raises :class:`callkit.DefinitionError` if the file is not a valid definition.
    """
    path = files("callkit_tutorial") / DEFINITION
    data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    converter = callkit.make_converter(rules=[TitleLengthRule])
    return callkit.structure_definition(data, origin=str(path), converter=converter)
