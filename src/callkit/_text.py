"""Text in the two languages callkit speaks: Norwegian Bokmål and English."""

from __future__ import annotations

import attrs

from callkit._i18n import Language, Localized

__all__ = ["Language", "Text"]


@attrs.frozen
class Text(Localized):
    """A short text, such as a title, in Norwegian Bokmål and English."""

    nb: str
    en: str

    def get(self, lang: Language = "en") -> str:
        """The text in *lang*."""
        return self.nb if lang == "nb" else self.en

    def __str__(self) -> str:
        """The English text."""
        return self.en
