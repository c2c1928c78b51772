"""Empty application lists to fill in: the headings a call and an institution ask for.

Each heading is the field's name in the chosen language with the field itself in brackets,
``Tittel på prosjekt (title)``, so that callkit reads a filled-in list back whatever the
language. A workbook has a second sheet that explains each column: what to write, whether
it is required, the codes it takes, and the sentence of the source that asks for it.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from callkit._rules import CostRule, InstitutionRule, RequiredFieldsRule, SchemeRule, Term
from callkit._text import Language, Text

if TYPE_CHECKING:
    from callkit._call import Call
    from callkit._policy import InstitutionPolicy

# What each field is, for fields no rule of the call names.
_FIELD_NAMES: dict[str, Text] = {
    "title": Text(nb="Tittel på prosjekt", en="Project title"),
    "institution": Text(nb="Søkerinstitusjon", en="Applicant institution"),
    "faculty": Text(nb="Fakultet", en="Faculty"),
    "department": Text(nb="Institutt", en="Department"),
    "theme": Text(nb="Tema", en="Theme"),
    "applicant": Text(nb="Søker", en="Applicant"),
    "qualifying_scheme": Text(nb="Kvalifiserende ordning", en="Qualifying scheme"),
    "qualifying_project": Text(nb="Kvalifiserende prosjekt", en="Qualifying project"),
    "partner_countries": Text(nb="Partnerland", en="Partner countries"),
    "partner_institutions": Text(nb="Partnerinstitusjoner", en="Partner institutions"),
    "rank": Text(nb="Rangering i fakultetet", en="Rank within the faculty"),
}

_HELP: dict[str, Text] = {
    "title": Text(nb="Påkrevd.", en="Required."),
    "institution": Text(nb="Påkrevd.", en="Required."),
    "partner_countries": Text(
        nb="Landkoder eller navn, skilt med semikolon: «BR; Japan».",
        en="Country codes or names, separated by semicolons: 'BR; Japan'.",
    ),
    "partner_institutions": Text(nb="Skilt med semikolon.", en="Separated by semicolons."),
    "rank": Text(
        nb="1 for fakultetets høyest prioriterte søknad; unik innen fakultetet.",
        en="1 for the faculty's first priority; unique within the faculty.",
    ),
}

_SHEET = Text(nb="Søkere", en="Applicants")
_EXPLAIN_SHEET = Text(nb="Forklaring", en="Columns")
_EXPLAIN_HEADINGS = {
    "nb": ("Kolonne", "Felt", "Påkrevd", "Hva som skal stå her", "Kilde"),
    "en": ("Column", "Field", "Required", "What to write", "Source"),
}
_YES = {"nb": "ja", "en": "yes"}
_NO = {"nb": "nei", "en": "no"}


def _required_terms(call: Call, policy: InstitutionPolicy | None) -> list[Term]:
    rules = [*(policy.rules if policy else ()), *call.rules]
    return [t for r in rules if isinstance(r, RequiredFieldsRule) for t in r.fields]


def _codes(call: Call, field: str) -> str:
    for rule in call.rules:
        if field == "qualifying_scheme" and isinstance(rule, SchemeRule):
            return ", ".join(t.code for t in rule.schemes)
        if field == "institution_type" and isinstance(rule, InstitutionRule):
            return ", ".join(t.code for t in rule.types)
        if field == "costs" and isinstance(rule, CostRule):
            return ", ".join(t.code for t in rule.eligible)
    return ""


def columns(call: Call, policy: InstitutionPolicy | None) -> list[tuple[str, Text, Term | None]]:
    """The template's columns: field, name, and the term of the rule that asks for it."""
    wanted: dict[str, tuple[Text, Term | None]] = {
        "title": (_FIELD_NAMES["title"], None),
        "institution": (_FIELD_NAMES["institution"], None),
        "faculty": (_FIELD_NAMES["faculty"], None),
    }
    for term in _required_terms(call, policy):
        wanted[term.code] = (term.name, term)
    if not _required_terms(call, policy):
        for field in (
            "theme",
            "applicant",
            "department",
            "qualifying_scheme",
            "qualifying_project",
            "partner_countries",
            "partner_institutions",
        ):
            wanted.setdefault(field, (_FIELD_NAMES[field], None))
    if policy is not None and policy.quota is not None and policy.quota.ranking is not None:
        wanted["rank"] = (_FIELD_NAMES["rank"], None)
    return [(field, name, term) for field, (name, term) in wanted.items()]


def headings(call: Call, policy: InstitutionPolicy | None, lang: Language) -> list[str]:
    """The heading row: each field's name in *lang*, the field in brackets."""
    return [f"{name.get(lang)} ({field})" for field, name, _term in columns(call, policy)]


def to_csv(call: Call, policy: InstitutionPolicy | None, lang: Language, delimiter: str) -> str:
    """An empty list as CSV: the heading row alone."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(
        headings(call, policy, lang)
    )
    return out.getvalue()


def to_xlsx(call: Call, policy: InstitutionPolicy | None, lang: Language) -> bytes:
    """An empty list as a workbook, with a second sheet that explains each column."""
    from openpyxl import Workbook  # noqa: PLC0415  (loaded only for workbooks)
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has a sheet)
    sheet.title = _SHEET.get(lang)
    sheet.append(headings(call, policy, lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    explain = book.create_sheet(_EXPLAIN_SHEET.get(lang))
    explain.append(list(_EXPLAIN_HEADINGS[lang]))
    required = {t.code for t in _required_terms(call, policy)} | {"title", "institution"}
    for field, name, term in columns(call, policy):
        what = _HELP.get(field, Text(nb="", en="")).get(lang)
        if not what and field in required:
            what = {"nb": "Påkrevd.", "en": "Required."}[lang]
        codes = _codes(call, field)
        if codes:
            what = f"{what} {codes}".strip()
        source = ""
        if term is not None and term.provenance is not None:
            citation = call.cite(term.provenance)
            source = citation.quote if lang == "nb" and citation.quote else (citation.gloss or "")
            source = f"{source} ({citation.url})".strip()
        explain.append(
            [
                f"{name.get(lang)} ({field})",
                field,
                _YES[lang] if field in required else _NO[lang],
                what,
                source,
            ]
        )
        for cell in explain[explain.max_row]:
            cell.data_type = "s"
    for cell in explain[1]:
        cell.font = Font(bold=True)
    book.properties.title = f"{call.id}: {call.title.get(lang)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
