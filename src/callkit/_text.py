"""Text in the two languages callkit speaks: Norwegian Bokmål and English."""

from __future__ import annotations

import attrs

from callkit._i18n import LANGUAGES, Language, Localized, check_language

__all__ = ["Language", "Text"]


@attrs.frozen
class Text(Localized):
    """A short text, such as a title, in Norwegian Bokmål and English."""

    nb: str
    en: str

    def get(self, lang: Language = "en") -> str:
        """The text in *lang*."""
        if lang not in LANGUAGES:
            check_language(lang)  # raises: callkit does not speak it
        return self.nb if lang == "nb" else self.en

    def __str__(self) -> str:
        """The English text."""
        return self.en
