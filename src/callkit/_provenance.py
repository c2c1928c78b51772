"""Where a rule, a milestone or a policy comes from."""

from __future__ import annotations

import attrs

from callkit._text import Language


@attrs.frozen
class Source:
    """A document a call definition cites, under a short key such as ``uib``."""

    key: str
    url: str
    title: str
    language: Language | None = None


@attrs.frozen
class Provenance:
    """The sentence in a source that a rule, milestone or policy comes from.

    ``source`` is the key of a :class:`Source` of the same call. ``quote`` is the sentence
    in the source's language, ``gloss`` its English meaning where the source is not in
    English, and ``note`` says anything a reader must know (for example that a fact is taken
    from an earlier round and is not confirmed for this one).
    """

    source: str
    quote: str | None = None
    gloss: str | None = None
    note: str | None = None


@attrs.frozen
class Citation:
    """A :class:`Provenance` with its source resolved: what a finding shows a user."""

    source: str
    url: str
    quote: str | None = None
    gloss: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, provenance: Provenance, source: Source) -> Citation:
        """Resolve *provenance* against *source*."""
        return cls(
            source=source.key,
            url=source.url,
            quote=provenance.quote,
            gloss=provenance.gloss,
            note=provenance.note,
        )

    def __str__(self) -> str:
        """One line: the quote (with its gloss), the address, and any note."""
        parts: list[str] = []
        if self.quote:
            parts.append(f"\u201c{self.quote}\u201d")
        if self.gloss:
            parts.append(f"({self.gloss})")
        parts.append(f"[{self.source}] {self.url}")
        if self.note:
            parts.append(f"Note: {self.note}")
        return " ".join(parts)
