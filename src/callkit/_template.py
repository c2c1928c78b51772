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

from callkit._i18n import N_, Either, msg, tr
from callkit._rules import CostRule, InstitutionRule, RequiredFieldsRule, SchemeRule, Term
from callkit._text import Language, Text

if TYPE_CHECKING:
    from callkit._call import Call
    from callkit._policy import InstitutionPolicy

# What each field is, for fields no rule of the call names.
_FIELD_NAMES: dict[str, str] = {
    "title": N_("Project title"),
    "institution": N_("Applicant institution"),
    "faculty": N_("Faculty"),
    "department": N_("Department"),
    "theme": N_("Theme"),
    "applicant": N_("Applicant"),
    "qualifying_scheme": N_("Qualifying scheme"),
    "qualifying_project": N_("Qualifying project"),
    "partner_countries": N_("Partner countries"),
    "partner_institutions": N_("Partner institutions"),
    "rank": N_("Rank within the faculty"),
}

_HELP: dict[str, str] = {
    "title": N_("Required."),
    "institution": N_("Required."),
    "partner_countries": N_("Country codes or names, separated by semicolons: 'BR; Japan'."),
    "partner_institutions": N_("Separated by semicolons."),
    "rank": N_("1 for the faculty's first priority; unique within the faculty."),
}

_EXPLAIN_HEADINGS = (N_("Column"), N_("Field"), N_("Required"), N_("What to write"), N_("Source"))


def _name(field: str) -> Text:
    english = _FIELD_NAMES[field]
    return Text(nb=tr(english, "nb"), en=english)


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
        "title": (_name("title"), None),
        "institution": (_name("institution"), None),
        "faculty": (_name("faculty"), None),
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
            wanted.setdefault(field, (_name(field), None))
    if policy is not None and policy.quota is not None and policy.quota.ranking is not None:
        wanted["rank"] = (_name("rank"), None)
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


def _what_to_write(
    call: Call,
    policy: InstitutionPolicy | None,
    field: str,
    required: bool,  # noqa: FBT001
    lang: Language,
) -> str:
    """What the explanation sheet says to write in the column of *field*."""
    if field == "institution" and policy is not None:
        others = [n for n in policy.all_names if n != policy.institution]
        what = (
            msg(
                "Required. {institution} (or {names}) for this institution.",
                institution=policy.institution,
                names=Either(others),
            )
            if others
            else msg(
                "Required. {institution} for this institution.", institution=policy.institution
            )
        ).get(lang)
    elif field == "faculty":
        what = tr(
            "The faculty's short name, such as MN; applications are counted and ranked by faculty.",
            lang,
        )
    else:
        what = tr(_HELP[field], lang) if field in _HELP else ""
        if not what and required:
            what = tr("Required.", lang)
    codes = _codes(call, field)
    return f"{what} {codes}".strip() if codes else what


def to_xlsx(call: Call, policy: InstitutionPolicy | None, lang: Language) -> bytes:
    """An empty list as a workbook, with a second sheet that explains each column."""
    from openpyxl import Workbook  # noqa: PLC0415  (loaded only for workbooks)
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has a sheet)
    sheet.title = tr("Applicants", lang)
    sheet.append(headings(call, policy, lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    explain = book.create_sheet(tr("Columns", lang))
    explain.append([tr(heading, lang) for heading in _EXPLAIN_HEADINGS])
    required = {t.code for t in _required_terms(call, policy)} | {"title", "institution"}
    for field, name, term in columns(call, policy):
        what = _what_to_write(call, policy, field, field in required, lang)
        source = ""
        if term is not None and term.provenance is not None:
            citation = call.cite(term.provenance)
            source = citation.quote if lang == "nb" and citation.quote else (citation.gloss or "")
            source = f"{source} ({citation.url})".strip()
        explain.append(
            [
                f"{name.get(lang)} ({field})",
                field,
                tr("yes", lang) if field in required else tr("no", lang),
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
