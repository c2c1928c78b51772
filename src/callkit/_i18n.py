"""Messages in Norwegian Bokmål and English, through gettext catalogues.

English is the source language: every message is written in English in the code, and that
English text is its gettext ``msgid``. The Norwegian translations live in the catalogue
``locale/nb/LC_MESSAGES/callkit.po`` (compiled to ``callkit.mo`` beside it), kept by
``nox -s i18n`` with babel's extractor, and read with the standard library's :mod:`gettext`.

Three markers put a text in the catalogue:

- :func:`msg` builds a :class:`Message`: the English text at once, Norwegian on request;
- :func:`tr` translates a text now, for headings and labels of a rendering in one language;
- :func:`N_` only marks a word that is translated later (through :class:`Word`).

Arguments of a message that depend on the language (country names, titles, lists joined
with "or", words) are given as :class:`Localized` values and rendered in the message's
language; every other argument is formatted as it is.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any, Final, Literal, Self, get_args

if TYPE_CHECKING:
    import gettext
    from collections.abc import Iterable, Mapping

Language = Literal["nb", "en"]
"""A language code: ``"nb"`` (Norwegian Bokmål) or ``"en"`` (English)."""

LANGUAGES: Final = get_args(Language)
"""The languages callkit speaks, as codes: ``("nb", "en")``."""

_DOMAIN = "callkit"
_LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")  # noqa: PTH118, PTH120  (pathlib is dear to import)
_NORWEGIAN = ("nb", "no", "nn")


def default_language(environ: Mapping[str, str] | None = None) -> Language:
    """The language the environment's locale asks for: ``"nb"`` for Norwegian, else ``"en"``.

    The variables are read in gettext's order (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``); the first one set decides. Nynorsk and plain "Norwegian" locales get Bokmål,
    the nearer of the two languages.
    """
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            first = value.split(":")[0].lower()
            return "nb" if first.split("_")[0].split(".")[0] in _NORWEGIAN else "en"
    return "en"


def check_language(lang: str) -> Language:
    """*lang* if callkit speaks it; a :class:`ValueError` naming the languages otherwise."""
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}; callkit speaks {' and '.join(LANGUAGES)}"
        raise ValueError(msg)
    return lang  # type: ignore[return-value]  # narrowed by the test above


@functools.cache
def catalogue(lang: Language) -> gettext.NullTranslations:
    """The gettext catalogue of *lang*; English, the source language, needs none."""
    import gettext  # noqa: PLC0415  (English, the source language, never needs it)

    if check_language(lang) == "en":
        return gettext.NullTranslations()
    return gettext.translation(_DOMAIN, _LOCALE_DIR, languages=[lang])


def tr(text: str, lang: Language) -> str:
    """*text*, a message in English, in *lang*."""
    return text if lang == "en" else catalogue(lang).gettext(text)


def N_(text: str) -> str:  # noqa: N802  (gettext's name for the marker)
    """Mark *text* for the catalogue without translating it: it is translated when shown."""
    return text


class Localized:
    """An argument of a message that reads differently in each language."""

    __slots__ = ()

    def get(self, lang: Language) -> str:  # pragma: no cover - every kind overrides
        """The value in *lang*."""
        raise NotImplementedError

    def __str__(self) -> str:
        """The value in English."""
        return self.get("en")


class Word(Localized):
    """A word or phrase marked with :func:`N_`, translated when shown."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def get(self, lang: Language) -> str:
        """The word in *lang*."""
        return tr(self.text, lang)


class Countries(Localized):
    """Countries by ISO code, shown by name in the message's language.

    With *codes*, each name is followed by its code in brackets: ``Sweden (SE)``. With
    *either*, the last two are joined by "or", otherwise every one by a comma.
    """

    __slots__ = ("codes", "either", "show_codes", "shown")

    def __init__(
        self, codes: Iterable[str], *, show_codes: bool = True, either: bool = False
    ) -> None:
        self.codes = tuple(codes)
        self.show_codes = show_codes
        self.either = either
        self.shown: dict[Language, str] = {}
        """The names in each language asked for so far: a list of countries shared by many
        messages is named once."""

    def get(self, lang: Language) -> str:
        """The countries named in *lang*."""
        shown = self.shown.get(lang)
        if shown is None:
            from callkit._countries import country_name  # noqa: PLC0415  (babel's, lazily)

            names = [
                f"{country_name(c, lang)} ({c})" if self.show_codes else country_name(c, lang)
                for c in self.codes
            ]
            shown = self.shown[lang] = either(names, lang) if self.either else ", ".join(names)
        return shown


class Either(Localized):
    """Items joined as ``a, b or c``, each one :class:`Localized` (such as a title) or text."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Localized | str]) -> None:
        self.items = tuple(items)

    def get(self, lang: Language) -> str:
        """The items in *lang*."""
        return either([localize(i, lang) for i in self.items], lang)


class Joined(Localized):
    """Items each in *lang*, joined by *separator*."""

    __slots__ = ("items", "separator")

    def __init__(self, items: Iterable[Localized | str], separator: str = ", ") -> None:
        self.items = tuple(items)
        self.separator = separator

    def get(self, lang: Language) -> str:
        """The items in *lang*."""
        return self.separator.join(localize(i, lang) for i in self.items)


class Both(Either):
    """Items joined as ``a, b and c``."""

    __slots__ = ()

    def get(self, lang: Language) -> str:
        """The items in *lang*."""
        return _listed([localize(i, lang) for i in self.items], "and", lang)


def either(items: list[str], lang: Language) -> str:
    """``a, b or c`` in *lang*; nothing for no items."""
    return _listed(items, "or", lang)


def _listed(items: list[str], conjunction: str, lang: Language) -> str:
    """*items* as a list in a sentence, the last two joined by *conjunction* in *lang*."""
    if len(items) <= 1:
        return "".join(items)
    pattern = (
        tr("{items} and {last}", lang) if conjunction == "and" else tr("{items} or {last}", lang)
    )
    return pattern.format(items=", ".join(items[:-1]), last=items[-1])


Pair = tuple[str, str]
"""A value in English and in Norwegian, the lightest kind of argument that reads differently
by language: a plain tuple of text, which the garbage collector stops following once it has
seen it. Checks that fail build many such arguments, and keep them with their findings."""


def localize(value: object, lang: Language) -> Any:  # noqa: ANN401  (formatted as given)
    """*value* in *lang* when it reads differently by language, otherwise *value* itself."""
    if isinstance(value, _BILINGUAL):
        return value.get(lang)
    if value.__class__ is tuple:
        return value[0] if lang == "en" else value[1]  # a Pair
    return value


def _render(
    template: str | Localized,
    plural: str | None,
    n: int | None,
    args: Mapping[str, object],
    lang: Language,
) -> str:
    if isinstance(template, Localized):
        text = template.get(lang)
    elif plural is None:
        text = template if lang == "en" else _IN_NORWEGIAN.get(template) or tr(template, lang)
    elif lang == "en":
        text = template if n == 1 else plural
    else:
        text = catalogue(lang).ngettext(template, plural, n or 0)
    if not args:
        return text
    for value in args.values():
        if value.__class__ is tuple or isinstance(value, _BILINGUAL):
            break
    else:  # nothing to put in the language: no copy of the arguments
        return text.format_map(args)
    return text.format_map({k: localize(v, lang) for k, v in args.items()})


class Message(str):  # noqa: SLOT000  (a str subclass's slots must be empty)
    """A message: its English text, which it is, and its Norwegian text.

    A message compares, hashes and prints as its English text, so it can stand wherever
    text is expected; :meth:`get` gives it in any language callkit speaks. Build one with
    :func:`msg` (or ``msgs``, for a message with a plural form), so that its template is
    in the catalogue.

    Both texts are made when the message is: a message keeps two strings, not its template
    and arguments, so that the many findings of a large review hold nothing more for the
    garbage collector to follow than their text.

    A plugin, whose messages are in no catalogue of callkit's, gives its template in both
    languages instead, as a :class:`~callkit.Text`:
    ``msg(Text(nb="{n} tegn er for mye", en="{n} characters are too many"), n=300)``.
    """

    nb: str

    def __new__(
        cls,
        template: str | Localized,
        args: Mapping[str, object],
        plural: str | None = None,
        n: int | None = None,
    ) -> Self:
        """The message *template* with *args* (in the plural *plural* when *n* is not 1)."""
        if plural is not None or not isinstance(template, str):
            self = super().__new__(cls, _render(template, plural, n, args, "en"))
            self.nb = _render(template, plural, n, args, "nb")
            return self
        # The common case, made for every failing check: one template, plain arguments.
        norwegian = _IN_NORWEGIAN.get(template)
        if norwegian is None:
            norwegian = _IN_NORWEGIAN[template] = tr(template, "nb")
        if not args:
            self = super().__new__(cls, template)
            self.nb = norwegian
            return self
        english: dict[str, object] = {}
        bokmal: dict[str, object] = {}
        for key, value in args.items():
            if value.__class__ is tuple:
                english[key], bokmal[key] = value  # a Pair
            elif isinstance(value, _BILINGUAL):
                english[key] = value.get("en")
                bokmal[key] = value.get("nb")
            else:
                english[key] = bokmal[key] = value
        self = super().__new__(cls, template.format_map(english))
        self.nb = norwegian.format_map(bokmal)
        return self

    @classmethod
    def of(cls, en: str, nb: str) -> Message:
        """The message that reads *en* in English and *nb* in Norwegian."""
        self = super().__new__(cls, en)
        self.nb = nb
        return self

    def get(self, lang: Language) -> str:
        """The message in *lang*."""
        if lang not in LANGUAGES:
            check_language(lang)  # raises: callkit does not speak it
        return str.__str__(self) if lang == "en" else self.nb

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the two texts."""
        return (Message.of, (str.__str__(self), self.nb))


_IN_NORWEGIAN: dict[str, str] = {}
"""Each template met so far, in Norwegian: a dictionary is quicker to ask than gettext."""

_BILINGUAL = (Message, Localized)
"""What reads differently in each language, as :func:`isinstance` takes it."""


def msg(template: str | Localized, /, **args: object) -> Message:
    """The message *template* with *args*.

    *template* is English with ``{name}`` fields, translated through the catalogue, or a
    :class:`~callkit.Text` that gives it in both languages.
    """
    return Message(template, args)


def msgs(singular: str, plural: str, n: int, /, **args: object) -> Message:
    """The message *singular* or *plural* as *n* asks, with *args* (``n`` among them)."""
    return Message(singular, {"n": n, **args}, plural, n)


def text(value: str, lang: Language) -> str:
    """*value* in *lang*: a :class:`Message` translated, any other text as it is."""
    return value.get(lang) if isinstance(value, Message) else value
