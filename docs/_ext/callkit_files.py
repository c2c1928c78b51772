"""The example files of the pages, in the workspace where ``callkit-run`` runs, and their display.

The files are those of ``docs/_examples``, copied into the workspace of ``callkit_run``,
and the files derived from them, each made from another by the replacements the page
describes ("``typo.toml`` is ``partners-2031.toml`` with ``schemes.NRAP`` in place of
``schemes.NARP``"), so that a file is what its page says it is. A replacement whose text
the file does not hold exactly once is a warning.

``callkit-file``
    Shows a file of the workspace, whole or in part, with the options of ``literalinclude``
    that choose lines (``:start-at:``, ``:start-after:``, ``:end-before:``, ``:end-at:``,
    ``:lines:``) and ``:language:``; the caption is the file's name::

        ```{callkit-file} clocks-forward.toml
        :start-at: kind = "deadline"
        :end-before: "[[policies]]"
        ```

What a page shows of a file is therefore the file its commands read.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from callkit_run import workspace
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import LiteralIncludeReader, container_wrapper
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

EXAMPLES = Path(__file__).resolve().parents[1] / "_examples"
"""The example files of the pages, as the pages show them."""

DERIVED: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    # time-zones-and-deadlines.md: a deadline at a time that does not exist, or happens twice
    "clocks-forward.toml": (
        "easter-2022.toml",
        (("date = 2022-04-19\ntime = 13:00:00", "date = 2022-03-27\ntime = 02:30:00"),),
    ),
    "clocks-back.toml": (
        "easter-2022.toml",
        (("date = 2022-04-19\ntime = 13:00:00", "date = 2022-10-30\ntime = 02:30:00"),),
    ),
    # versions-and-provenance.md: amendments that keep a definition from loading
    "typo.toml": (
        "partners-2031.toml",
        (
            (
                'path = "rules.qualifying-funding.schemes.NARP"',
                'path = "rules.qualifying-funding.schemes.NRAP"',
            ),
        ),
    ),
    "mexico.toml": ("partners-2031.toml", (('value = "MX"', 'value = "Mexico"'),)),
    "early.toml": ("partners-2031.toml", (("effective = 2031-02-24", "effective = 2031-02-01"),)),
}
"""Files made from another: the file, and each text replaced by another."""

LANGUAGES = {".toml": "toml", ".json": "json", ".csv": "text"}
"""How a file is highlighted, by its extension, unless ``:language:`` says otherwise."""


def _derive(base: str, replacements: tuple[tuple[str, str], ...]) -> tuple[str, list[str]]:
    """*base* with each replacement made, and the replacements it cannot make."""
    text = base
    failed = []
    for old, new in replacements:
        if text.count(old) == 1:
            text = text.replace(old, new)
        else:
            failed.append(old)
    return text, failed


def write_examples(app: Sphinx) -> None:
    """Copy the example files into the workspace, and write the files derived from them."""
    folder = workspace(app)
    for path in sorted(EXAMPLES.iterdir()):
        shutil.copyfile(path, folder / path.name)
    for name, (base, replacements) in DERIVED.items():
        text, failed = _derive((EXAMPLES / base).read_text(encoding="utf-8"), replacements)
        for old in failed:
            logger.warning(
                "%s: %s does not hold %r exactly once",
                name,
                base,
                old,
                type="callkit",
                subtype="files",
            )
        (folder / name).write_text(text, encoding="utf-8")


class CallkitFile(SphinxDirective):
    """A file of the workspace, whole or the lines the options choose, captioned with its name."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "start-at": directives.unchanged_required,
        "start-after": directives.unchanged_required,
        "end-before": directives.unchanged_required,
        "end-at": directives.unchanged_required,
        "lines": directives.unchanged_required,
        "language": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        """Read the file and show it."""
        name = self.arguments[0]
        path = workspace(self.env.app) / name
        options = {key: value for key, value in self.options.items() if key != "language"}
        options["encoding"] = "utf-8"
        try:
            text, _ = LiteralIncludeReader(path, options, self.config).read(self.get_source_info())
            text = text.strip("\n")
        except (OSError, ValueError) as error:
            logger.warning(
                "cannot show the example file %s: %s",
                name,
                error,
                location=self.get_location(),
                type="callkit",
                subtype="files",
            )
            return []
        if name in DERIVED or (EXAMPLES / name).exists():
            self.env.note_dependency(str(EXAMPLES / DERIVED.get(name, (name,))[0]))
        literal = nodes.literal_block(text, text)
        literal["language"] = self.options.get("language", LANGUAGES.get(path.suffix, "text"))
        literal["classes"].append("callkit-file")
        self.set_source_info(literal)
        return [container_wrapper(self, literal, name)]


def setup(app: Sphinx) -> dict[str, Any]:
    """Write the example files once the workspace is made, and register ``callkit-file``."""
    app.setup_extension("callkit_run")
    app.connect("builder-inited", write_examples, priority=420)
    app.add_directive("callkit-file", CallkitFile)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
