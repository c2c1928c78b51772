"""callkit: research funding calls as data with behaviour.

Calls come from plugins, found through the entry point group ``callkit.calls``::

    import callkit

    call = callkit.get_call("intpart-2022")
    review = call.review(callkit.read_applications("faculty-list.csv"))
    print(review.ok, review.to_dict())

Importing ``callkit`` loads no plugin and none of the optional heavy libraries.
"""

import logging

from callkit._application import Application
from callkit._call import Call
from callkit._cases import Case, CaseResult
from callkit._convert import (
    configure_converter,
    load_call,
    load_definition,
    make_converter,
    structure_call,
    structure_definition,
    unstructure_call,
    unstructure_definition,
)
from callkit._errors import (
    CallkitError,
    CallNotFoundError,
    DefinitionError,
    InputError,
    InputProblem,
    NoDeadlineError,
    PluginError,
)
from callkit._finding import Finding, Severity
from callkit._money import Money
from callkit._policy import InstitutionPolicy, Note, Quota
from callkit._provenance import Citation, Provenance, Source
from callkit._readers import ApplicationFile, read_application_file, read_applications
from callkit._registry import (
    ENTRY_POINT_GROUP,
    CallEntry,
    PluginStatus,
    Registry,
    clear_cache,
    get_call,
    get_definition,
    list_calls,
)
from callkit._report import ApplicationReport, QuotaReport, Review
from callkit._rules import (
    AmountRule,
    ComponentsRule,
    CostRule,
    CountryGroup,
    DurationRule,
    Exclusion,
    InstitutionRule,
    OwnShareRule,
    PartnerCountryRule,
    RequiredFieldsRule,
    Rule,
    RuleCheck,
    RuleContext,
    SchemeRule,
    Term,
)
from callkit._text import Text
from callkit._timeline import Milestone, MilestoneKind, Offset, Timeline
from callkit._version import __version__
from callkit._versions import Amendment, CallDefinition, Change, NotInForceError
from callkit._workdays import Rollover

__all__ = [
    "ENTRY_POINT_GROUP",
    "Amendment",
    "AmountRule",
    "Application",
    "ApplicationFile",
    "ApplicationReport",
    "Call",
    "CallDefinition",
    "CallEntry",
    "CallNotFoundError",
    "CallkitError",
    "Case",
    "CaseResult",
    "Change",
    "Citation",
    "ComponentsRule",
    "CostRule",
    "CountryGroup",
    "DefinitionError",
    "DurationRule",
    "Exclusion",
    "Finding",
    "InputError",
    "InputProblem",
    "InstitutionPolicy",
    "InstitutionRule",
    "Milestone",
    "MilestoneKind",
    "Money",
    "NoDeadlineError",
    "NotInForceError",
    "Note",
    "Offset",
    "OwnShareRule",
    "PartnerCountryRule",
    "PluginError",
    "PluginStatus",
    "Provenance",
    "Quota",
    "QuotaReport",
    "Registry",
    "RequiredFieldsRule",
    "Review",
    "Rollover",
    "Rule",
    "RuleCheck",
    "RuleContext",
    "SchemeRule",
    "Severity",
    "Source",
    "Term",
    "Text",
    "Timeline",
    "__version__",
    "clear_cache",
    "configure_converter",
    "get_call",
    "get_definition",
    "list_calls",
    "load_call",
    "load_definition",
    "make_converter",
    "read_application_file",
    "read_applications",
    "structure_call",
    "structure_definition",
    "unstructure_call",
    "unstructure_definition",
]

# A library leaves it to the application to show its log; callkit's command line reports
# plugin failures itself.
logging.getLogger("callkit").addHandler(logging.NullHandler())
