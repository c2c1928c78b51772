"""Text in the two languages callkit speaks: Norwegian Bokmål and English."""

from __future__ import annotations

from typing import Literal

import attrs

Language = Literal["nb", "en"]
"""A language code: ``"nb"`` (Norwegian Bokmål) or ``"en"`` (English)."""


@attrs.frozen
class Text:
    """A short text, such as a title, in Norwegian Bokmål and English."""

    nb: str
    en: str

    def get(self, lang: Language = "en") -> str:
        """The text in *lang*."""
        return self.nb if lang == "nb" else self.en

    def __str__(self) -> str:
        """The English text."""
        return self.en
