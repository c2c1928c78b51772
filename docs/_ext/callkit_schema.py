"""The ``callkit-schema`` directive: the definition format's reference, from its schema.

The tables are generated at build time from :func:`callkit._schema.definition_schema`, the
same schema ``callkit schema`` prints and ``callkit lint`` validates against, so the
reference cannot drift from what callkit reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(schema: dict[str, Any]) -> str:  # noqa: PLR0911, C901  (a case per kind of schema)
    if "$ref" in schema:
        name = _name(schema["$ref"])
        return f"[{name}](#def-{name.lower()})"
    if "anyOf" in schema:
        kinds = [_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds))
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if kind == "string":
        if schema.get("format") == "date":
            return "date (YYYY-MM-DD)"
        if "pattern" in schema:
            return "text (a local time)" if ":" in schema["pattern"] else "text"
        return "text"
    if kind == "number":
        return "number"
    if kind == "integer":
        return "whole number"
    if kind == "boolean":
        return "true or false"
    if kind == "object":
        return "table"
    return "any value"


def _table(name: str, schema: dict[str, Any]) -> list[str]:
    lines = [f"(def-{name.lower()})=", f"## {name}", "", schema.get("description", ""), ""]
    properties = schema.get("properties", {})
    if not properties:
        return lines
    required = set(schema.get("required", []))
    lines += [
        "```{list-table}",
        ":header-rows: 1",
        ":widths: 20 50 15",
        "",
        "* - Key",
        "  - Type",
        "  - Required",
    ]
    for key, sub in properties.items():
        text = _type(sub)
        if "description" in sub and "$ref" not in sub:
            text += f". {sub['description']}"
        lines += [f"* - `{key}`", f"  - {text}", f"  - {'yes' if key in required else 'no'}"]
    lines += ["```", ""]
    return lines


class CallkitSchema(SphinxDirective):
    """Render every table of the definition format, the root first."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Parse the generated Markdown in place."""
        from callkit._schema import definition_schema  # noqa: PLC0415

        schema = definition_schema()
        lines = _table("Call", schema)
        rule = schema["$defs"]["Rule"]
        for name, sub in schema["$defs"].items():
            if name == "Rule":
                kinds = ", ".join(f"`{k}`" for k in rule["properties"]["kind"]["enum"])
                lines += [
                    "(def-rule)=",
                    "## Rule",
                    "",
                    f"{rule['description']} The kinds: {kinds}; each kind's table follows.",
                    "",
                ]
                continue
            lines += _table(name, sub)
        return self.parse_text_to_nodes("\n".join(lines), allow_section_headings=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("callkit-schema", CallkitSchema)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
