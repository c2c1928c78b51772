"""Faculty lists of the University of Bergen for the how-to, written at build time.

Each list starts from the template ``callkit template intpart-2022 --institution UiB``
writes, and is filled in as a faculty office would fill it in Excel: the template's
Norwegian headings, a few columns added by hand for the budget checks, amounts as
numbers that Excel shows as ``2 000 000``, countries by Norwegian or English name or by
code. Workbooks are saved by openpyxl; the CSV lists as Excel saves "CSV (semikolondelt)"
in Norway: separated by semicolons, in Windows-1252, amounts grouped with non-breaking
spaces.

The lists are written into the workspace of ``callkit_run`` (in the build directory), so
that the pages can check them by their names:

``faculty-list.xlsx``
    The Faculty of Science and Technology (MN): seven applications, with a finding of
    each common kind.
``hf.csv``, ``med.xlsx``, ``sv.csv``
    Three other faculties' lists; with ``faculty-list.xlsx`` they are 23 applications,
    three over the University's quota.
``faculty-list-draft.csv``
    An early draft of the MN list with cells that cannot be read and a column callkit
    does not know.
``uib-list.csv``
    The University's whole list for the chapter on quotas: 23 applications that pass on
    their own, three over the quota, the last without a rank.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from callkit_run import run_callkit, workspace
from sphinx.util import logging

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

Row = tuple[Any, ...]

# The template's columns, in its order: title, institution, faculty, theme, qualifying
# project, UiB applicant, department, partner countries, partner institutions, rank.

MN_EXTRA = (
    "Ordning",
    "Beløp per år",
    "Varighet (år)",
    "Egenandel",
    "Forskning",
    "Utdanning",
    "Kostnader",
)
"""Columns the MN office adds to the template, so that the budgets are checked too."""

MN: list[Row] = [
    (
        "Southern Ocean Carbon Partnership",
        "UiB",
        "MN",
        "Havets karbonopptak; bygger på et SFF-senter",
        "Centre for Ocean Carbon Dynamics (SFF)",
        "Ingrid Solberg",
        "Geofysisk institutt",
        "Sør-Afrika; USA",
        "University of Cape Town; Woods Hole Oceanographic Institution",
        1,
        "SFF",
        2_000_000,
        5,
        2_500_000,
        "ja",
        "ja",
        "mobility; workshop; course",
    ),
    (
        "Arctic Permafrost Observatory",
        "UiB",
        "MN",
        "Permafrost og karbon i Arktis",
        "PERMANOR (forskerprosjekt)",
        "Lars Haugen",
        "Institutt for geovitenskap",
        "Russland",
        "Lomonosov Moscow State University",
        2,
        "RCN-RP",
        1_500_000,
        5,
        1_875_000,
        "ja",
        "ja",
        "mobility; research_school",
    ),
    (
        "Machine Learning for Marine Ecosystems",
        "UiB",
        "MN",
        "Maskinlæring for havøkologi; knyttet til et EU-prosjekt",
        "MARML (Horisont Europa)",
        "Kari Nordvik",
        "Institutt for informatikk",
        "Japan; KR",
        "Tohoku University; KAIST",
        3,
        "EU-FP",
        2_400_000,
        4,
        2_400_000,
        "ja",
        "ja",
        "workshop; teaching",
    ),
    (
        "Coastal Geohazards and Communities",
        "Universitetet i Bergen",
        "MN",
        "Skred og kystsamfunn",
        "GEOCOAST (KSP)",
        "Per Aas",
        "Institutt for geovitenskap",
        "CA",
        "University of British Columbia",
        4,
        "KSP",
        1_800_000,
        5,
        2_250_000,
        "ja",
        "ja",
        "mobility; planning",
    ),
    (
        "Quantum Materials Summer School",
        "UiB",
        "MN",
        "Kvantematerialer; knyttet til et forskerprosjekt",
        "QMAT (forskerprosjekt)",
        "Mona Berg",
        "Institutt for fysikk og teknologi",
        "Tyskland",
        "Max-Planck-Institut für Festkörperforschung",
        4,
        "RCN-RP",
        1_200_000,
        3,
        900_000,
        "ja",
        "ja",
        "course; mobility",
    ),
    (
        "Biodiversity Data for the Amazon",
        "UiB",
        "MN",
        "Biodiversitetsdata; knyttet til et forskerprosjekt",
        "BIOAMAZ (forskerprosjekt)",
        "Hanne Vik",
        "Institutt for biovitenskap",
        "Brazil",
        "Universidade de São Paulo",
        5,
        "RCN-RP",
        None,
        None,
        None,
        "ja",
        "ja",
        "mobility; digital",
    ),
    (
        "Chemistry of Ocean Plastics",
        "UiB",
        "MN",
        "Nedbrytning av plast i havet; knyttet til et SFI-senter",
        "PLASTOCEAN (SFI)",
        "Tor Eide",
        None,
        "Kina",
        "Xiamen University",
        6,
        "SFI",
        1_600_000,
        5,
        2_000_000,
        "ja",
        "ja",
        "mobility; workshop",
    ),
]

HF: list[Row] = [
    (
        "Manuscript Cultures of the Silk Road",
        "UiB",
        "HF",
        "Manuskriptkulturer; knyttet til et ERC-prosjekt",
        "SILKSCRIPT (ERC)",
        "Eirik Dahl",
        "Institutt for lingvistiske, litterære og estetiske studier",
        "Kina; India",
        "Peking University; Jawaharlal Nehru University",
        1,
    ),
    (
        "Digital Editions of Norse Sagas",
        "UiB",
        "HF",
        "Digitale kildeutgaver; knyttet til et forskerprosjekt",
        "NORSAGA (forskerprosjekt)",
        "Sofie Lunde",
        "Institutt for lingvistiske, litterære og estetiske studier",
        "Canada",
        "University of Toronto",
        2,
    ),
    (
        "Religion and Migration in the Americas",
        "UiB",
        "HF",
        "Religion og migrasjon; knyttet til et forskerprosjekt",
        "RELMIG (forskerprosjekt)",
        "Anne Myhre",
        "Institutt for arkeologi, historie, kultur- og religionsvitenskap",
        "Brasil; USA",
        "Universidade de Brasília; Harvard University",
        3,
    ),
    (
        "Archaeology of the Indian Ocean Trade",
        "UiB",
        "HF",
        "Handel over Indiahavet; knyttet til et KSP",
        "OCEANTRADE (KSP)",
        "Jon Vik",
        "Institutt for arkeologi, historie, kultur- og religionsvitenskap",
        "India; Sør-Afrika",
        "University of Delhi; University of the Witwatersrand",
        4,
    ),
    (
        "Language Technology for Low-Resource Languages",
        "UiB",
        "HF",
        "Språkteknologi; knyttet til et forskerprosjekt",
        "LOWRES (forskerprosjekt)",
        "Live Strand",
        "Institutt for lingvistiske, litterære og estetiske studier",
        "Sør-Afrika",
        "Stellenbosch University",
        5,
    ),
    (
        "Philosophy of Science in Japan and Norway",
        "UiB",
        "HF",
        "Vitenskapsfilosofi; knyttet til et forskerprosjekt",
        "PHILSCI (forskerprosjekt)",
        "Erik Bakke",
        "Institutt for filosofi og førstesemesterstudier",
        "Japan",
        "Kyoto University",
        6,
    ),
]

MED: list[Row] = [
    (
        "Global Health Trials Network",
        "UiB",
        "MED",
        "Kliniske studier; knyttet til et SFF-senter",
        "Centre for Intervention Science (SFF)",
        "Marit Lie",
        "Institutt for global helse og samfunnsmedisin",
        "India",
        "Indian Institute of Public Health Delhi",
        1,
    ),
    (
        "Cancer Genomics Training Alliance",
        "UiB",
        "MED",
        "Kreftgenomikk; knyttet til et FKB-senter",
        "Centre for Cancer Treatment (FKB)",
        "Ola Berge",
        "Klinisk institutt 2",
        "USA",
        "Johns Hopkins University",
        2,
    ),
    (
        "Dental Biomaterials Partnership",
        "UiB",
        "MED",
        "Biomaterialer i odontologi; knyttet til et forskerprosjekt",
        "DENTMAT (forskerprosjekt)",
        "Nina Dale",
        "Institutt for klinisk odontologi",
        "Brasil",
        "Universidade de São Paulo",
        3,
    ),
    (
        "Neuroscience of Ageing",
        "UiB",
        "MED",
        "Aldring og hjernen; knyttet til et forskerprosjekt",
        "NEUROAGE (forskerprosjekt)",
        "Knut Rød",
        "Institutt for biomedisin",
        "Canada",
        "McGill University",
        4,
    ),
    (
        "Tuberculosis Research in Southern Africa",
        "UiB",
        "MED",
        "Tuberkulose; knyttet til et forskerprosjekt",
        "TBSA (forskerprosjekt)",
        "Siri Holm",
        "Klinisk institutt 2",
        "Sør-Afrika",
        "University of Cape Town",
        5,
    ),
]

SV: list[Row] = [
    (
        "Democratic Resilience Network",
        "UiB",
        "SV",
        "Demokratisk motstandskraft; knyttet til et forskerprosjekt",
        "DEMRES (forskerprosjekt)",
        "Geir Moe",
        "Institutt for sammenliknende politikk",
        "Sør-Afrika; India",
        "University of the Witwatersrand; Ashoka University",
        1,
    ),
    (
        "Urban Climate Adaptation",
        "UiB",
        "SV",
        "Klimatilpasning i byer; knyttet til et KSP",
        "URBADAPT (KSP)",
        "Tone Lund",
        "Institutt for geografi",
        "Kina",
        "Tsinghua University",
        2,
    ),
    (
        "Economics of the Energy Transition",
        "UiB",
        "SV",
        "Energiøkonomi; knyttet til et FME-senter",
        "Centre for Energy Transition Strategies (FME)",
        "Arne Hauge",
        "Institutt for økonomi",
        "Tyskland",
        "DIW Berlin",
        3,
    ),
    (
        "Media and Disinformation",
        "UiB",
        "SV",
        "Desinformasjon; knyttet til et forskerprosjekt",
        "DISINFO (forskerprosjekt)",
        "Ida Sand",
        "Institutt for informasjons- og medievitenskap",
        "USA",
        "University of Washington",
        4,
    ),
    (
        "Indigenous Governance in the Arctic",
        "UiB",
        "SV",
        "Urfolk og styring; knyttet til et forskerprosjekt",
        "INDIGOV (forskerprosjekt)",
        "Rune Bø",
        "Institutt for sosialantropologi",
        "Canada",
        "University of Alberta",
        5,
    ),
]

DRAFT_EXTRA = ("Beløp per år", "Merknad")
"""The draft has one column for the amounts, and one for a remark, which callkit does not know."""

DRAFT: list[Row] = [
    (*MN[0][:10], 2_000_000, ""),
    (*MN[2][:10], "2,4 mill", "beløp ikke endelig"),
    (*MN[4][:7], "Tyskand", *MN[4][8:10], 1_200_000, ""),
]

UIB_LIST_FACULTIES = (("MN", 9), ("HF", 5), ("SV", 5), ("MED", 4))
"""The faculties of ``uib-list.csv``, in its order, and how many applications each sends."""

UIB_LIST_COLUMNS = (
    "title",
    "theme",
    "applicant",
    "institution",
    "faculty",
    "department",
    "qualifying_scheme",
    "qualifying_project",
    "partner_countries",
    "partner_institutions",
    "research",
    "education",
    "costs",
    "rank",
)

UIB_LIST_PARTNERS = (
    ("Brazil", "Universidade de São Paulo"),
    ("Japan", "Kyoto University"),
    ("South Africa", "University of Cape Town"),
    ("Canada", "University of Toronto"),
    ("India", "University of Delhi"),
)


def _uib_list() -> list[list[str]]:
    """The rows of ``uib-list.csv``: each passes on its own; the last has no rank."""
    rows: list[list[str]] = []
    for faculty, count in UIB_LIST_FACULTIES:
        for rank in range(1, count + 1):
            number = len(rows) + 1
            country, partner = UIB_LIST_PARTNERS[number % len(UIB_LIST_PARTNERS)]
            rows.append(
                [
                    f"Project {number}",
                    f"Theme of project {number}",
                    f"Applicant {number}",
                    "UiB",
                    faculty,
                    f"Department {number}",
                    "RCN-RP",
                    f"Researcher project {number}",
                    country,
                    partner,
                    "yes",
                    "yes",
                    "mobility;workshop",
                    str(rank),
                ]
            )
    rows[-1][-1] = ""
    return rows


TEMPORARY = "template.tmp"
"""Where a template is written before it is filled in."""

AMOUNT_FORMAT = "#,##0"
"""The number format Excel gives an amount typed as ``2 000 000``."""


def _template(app: Sphinx, *args: str) -> bytes | None:
    """The UiB template, written by ``callkit template``, or ``None`` (with a warning)."""
    run = run_callkit(
        ["template", "intpart-2022", "--institution", "UiB", *args, "--output", TEMPORARY],
        workspace(app),
    )
    path = workspace(app) / TEMPORARY
    if run.status != 0 or not path.exists():
        logger.warning(
            "callkit template failed (status %s): %s",
            run.status,
            run.stderr.strip(),
            type="callkit",
        )
        return None
    data = path.read_bytes()
    path.unlink()
    return data


def _workbook(template: bytes, path: Path, rows: list[Row], extra: tuple[str, ...]) -> None:
    """The template filled in with *rows*, with the columns *extra* added after its own."""
    from openpyxl import load_workbook  # noqa: PLC0415  (only the documentation needs it)

    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    bold = sheet.cell(row=1, column=1).font.copy()
    width = sheet.max_column
    for offset, heading in enumerate(extra, start=1):
        sheet.cell(row=1, column=width + offset, value=heading).font = bold
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, int) and cell.value >= 1000:  # noqa: PLR2004  (an amount)
                cell.number_format = AMOUNT_FORMAT
    book.save(path)


def _excel_text(value: object) -> str:
    """A cell as Excel writes it into a CSV file in Norway: amounts grouped by no-break spaces."""
    if value is None:
        return ""
    if isinstance(value, int) and value >= 1000:  # noqa: PLR2004  (an amount)
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def _csv(headings: list[str], path: Path, rows: list[Row], extra: tuple[str, ...]) -> None:
    """A list as Excel saves "CSV (semikolondelt)" in Norway: semicolons, Windows-1252."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*headings, *extra])
    writer.writerows([_excel_text(v) for v in row] for row in rows)
    path.write_bytes(out.getvalue().encode("cp1252"))


def write_lists(app: Sphinx) -> None:
    """Write the example lists into the workspace."""
    template = _template(app, "--lang", "nb")
    csv_template = _template(app, "--format", "csv", "--lang", "nb")
    if template is None or csv_template is None:
        return
    headings = next(csv.reader(io.StringIO(csv_template.decode("utf-8-sig")), delimiter=";"))
    folder = workspace(app)
    _workbook(template, folder / "faculty-list.xlsx", MN, MN_EXTRA)
    _workbook(template, folder / "med.xlsx", MED, ())
    _csv(headings, folder / "hf.csv", HF, ())
    _csv(headings, folder / "sv.csv", SV, ())
    _csv(headings, folder / "faculty-list-draft.csv", DRAFT, DRAFT_EXTRA)
    with (folder / "uib-list.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([UIB_LIST_COLUMNS, *_uib_list()])


def setup(app: Sphinx) -> dict[str, Any]:
    """Write the lists once the workspace is made."""
    app.setup_extension("callkit_run")
    app.connect("builder-inited", write_lists, priority=450)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
