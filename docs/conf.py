"""Sphinx configuration for the callkit documentation.

The API reference is generated from the installed package: build the documentation in an
environment where callkit is installed (``nox -s docs`` does this).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import callkit

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

if TYPE_CHECKING:
    from docutils.nodes import Element, TextElement
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# -- Project ---------------------------------------------------------------------------------

project = "callkit"
author = "The callkit developers"
copyright = "The callkit developers"
release = callkit.__version__
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------------------------

extensions = [
    "callkit_files",
    "callkit_lists",
    "callkit_run",
    "callkit_schema",
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_examples", "_ext"]
language = "en"

myst_enable_extensions = ["colon_fence", "deflist"]

# -- API reference ---------------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"

# There is no intersphinx: the documentation builds without network access. References to
# the standard library and to callkit's dependencies therefore cannot resolve, and are listed
# here; any other reference that does not resolve fails the build.
nitpick_ignore_regex = [
    ("py:class", r"(decimal\.)?Decimal"),
    ("py:class", r"(datetime\.|dt\.)?(date|time|datetime)"),
    ("py:class", r"pendulum(\.\w+)*\.(Date|DateTime)"),
    ("py:class", r"(pathlib\.)?Path"),
    ("py:class", r"(importlib\.resources\.abc\.)?Traversable"),
    ("py:class", r"cattrs(\.\w+)*\.Converter"),
    ("py:class", r"collections\.abc\.\w+"),
    # Returned by Registry.summary, for `callkit calls`, but not exported by callkit.
    ("py:class", r"(callkit\._summary\.)?CallSummary"),
    # The base of callkit's language-dependent message arguments; internal to callkit.
    ("py:class", r"(callkit\._i18n\.)?Localized"),
]


def _public_name(target: str) -> str | None:
    """``callkit.Call`` for ``callkit._call.Call``: the name the reference documents."""
    module, _, name = target.rpartition(".")
    if module.startswith("callkit._") and name in callkit.__all__:
        return f"callkit.{name}"
    return None


def _resolve_private_paths(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Resolve a type named by its private module to the public name it is documented under.

    Signatures name types where they are defined (``callkit._text.Text``); the reference
    documents each under the package (``callkit.Text``).
    """
    if node.get("refdomain") != "py":
        return None
    public = _public_name(node.get("reftarget", ""))
    if public is None:
        return None
    return env.domains["py"].resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], public, node, contnode
    )


def _signature_defaults(
    _app: Sphinx,
    _what: str,
    _name: str,
    _obj: object,
    _options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show a default made by a factory (attrs writes it ``NOTHING``) as an empty mapping."""
    if signature is None or "= NOTHING" not in signature:
        return None
    return signature.replace("= NOTHING", "= {}"), return_annotation


def setup(app: Sphinx) -> None:
    """Connect the handlers above."""
    app.connect("missing-reference", _resolve_private_paths)
    app.connect("autodoc-process-signature", _signature_defaults)


# -- HTML ------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"callkit {release}"
