"""Institutions' own policies for a call: quotas, internal milestones, extra rules."""

from __future__ import annotations

import attrs

from callkit._countries import check_code, normalise_name
from callkit._provenance import Provenance
from callkit._rules import AnyRule
from callkit._text import Text
from callkit._timeline import Milestone


@attrs.frozen(kw_only=True)
class Note:
    """A fact of a call or policy that no check can test, with its source."""

    text: Text
    provenance: Provenance


@attrs.frozen(kw_only=True)
class Quota:
    """At most ``limit`` applications from one institution.

    When ``ranking`` is given, an institution over its quota must rank its applications
    within each faculty; ``ranking`` cites where that is said.
    """

    limit: int = attrs.field(validator=attrs.validators.ge(0))
    provenance: Provenance
    ranking: Provenance | None = None


@attrs.frozen(kw_only=True)
class InstitutionPolicy:
    """What one institution adds to a call for its own applicants.

    ``institution`` is the short name reports use (``UiB``), ``name`` the full name in both
    languages, and ``names`` every other name the institution goes by in input files; all
    are matched without regard to case or accents. ``type`` and ``country`` describe the
    institution, so that rules about the applicant institution can be assessed when an
    application does not repeat them. ``rules`` apply only to this institution's
    applications, and ``milestones`` are its internal ones.
    """

    institution: str
    name: Text
    provenance: Provenance
    names: tuple[str, ...] = ()
    type: str | None = None
    country: str | None = attrs.field(default=None, validator=check_code)
    quota: Quota | None = None
    rules: tuple[AnyRule, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name this institution goes by, the short one first."""
        return tuple(dict.fromkeys((self.institution, self.name.nb, self.name.en, *self.names)))

    def matches(self, name: str) -> bool:
        """Whether *name* is one of this institution's names."""
        wanted = normalise_name(name)
        return any(normalise_name(n) == wanted for n in self.all_names)
