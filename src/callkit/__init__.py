"""callkit: research funding calls as data with behaviour.

Calls come from plugins, found through the entry point group ``callkit.calls``::

    import callkit

    call = callkit.get_call("intpart-2022")
    review = call.review(callkit.read_applications("faculty-list.csv"))
    print(review.ok, review.to_dict())

Importing ``callkit`` loads no plugin and none of the optional heavy libraries; each
public name is imported from its module when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from callkit._version import __version__

if TYPE_CHECKING:
    from callkit._application import Application
    from callkit._call import Call
    from callkit._cases import Case, CaseResult, run_case
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
    from callkit._i18n import Language, Message, default_language, msg
    from callkit._money import Money
    from callkit._policy import InstitutionPolicy, Note, Quota
    from callkit._provenance import Citation, Provenance, Source
    from callkit._readers import (
        ApplicationFile,
        ApplicationRow,
        ApplicationStream,
        open_application_file,
        read_application_file,
        read_applications,
    )
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
    from callkit._stream import LateFinding, ReviewStream, ReviewSummary
    from callkit._summary import CallSummary
    from callkit._text import Text
    from callkit._timeline import Milestone, MilestoneKind, Offset, Timeline
    from callkit._versions import Amendment, CallDefinition, Change, NotInForceError
    from callkit._workdays import Rollover

__all__ = [
    "ENTRY_POINT_GROUP",
    "Amendment",
    "AmountRule",
    "Application",
    "ApplicationFile",
    "ApplicationReport",
    "ApplicationRow",
    "ApplicationStream",
    "Call",
    "CallDefinition",
    "CallEntry",
    "CallNotFoundError",
    "CallSummary",
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
    "Language",
    "LateFinding",
    "Message",
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
    "ReviewStream",
    "ReviewSummary",
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
    "default_language",
    "get_call",
    "get_definition",
    "list_calls",
    "load_call",
    "load_definition",
    "make_converter",
    "msg",
    "open_application_file",
    "read_application_file",
    "read_applications",
    "run_case",
    "structure_call",
    "structure_definition",
    "unstructure_call",
    "unstructure_definition",
]

# The names above are imported when first used, so that "import callkit" costs little:
# a command that lists calls never loads the model, and a tool importing one class does
# not pay for the readers.
_LAZY = {
    "Amendment": "callkit._versions",
    "AmountRule": "callkit._rules",
    "Application": "callkit._application",
    "ApplicationFile": "callkit._readers",
    "ApplicationReport": "callkit._report",
    "ApplicationRow": "callkit._readers",
    "ApplicationStream": "callkit._readers",
    "Call": "callkit._call",
    "CallDefinition": "callkit._versions",
    "CallEntry": "callkit._registry",
    "CallNotFoundError": "callkit._errors",
    "CallkitError": "callkit._errors",
    "Case": "callkit._cases",
    "CaseResult": "callkit._cases",
    "CallSummary": "callkit._summary",
    "run_case": "callkit._cases",
    "Change": "callkit._versions",
    "Citation": "callkit._provenance",
    "ComponentsRule": "callkit._rules",
    "CostRule": "callkit._rules",
    "CountryGroup": "callkit._rules",
    "DefinitionError": "callkit._errors",
    "DurationRule": "callkit._rules",
    "ENTRY_POINT_GROUP": "callkit._registry",
    "Exclusion": "callkit._rules",
    "Finding": "callkit._finding",
    "InputError": "callkit._errors",
    "InputProblem": "callkit._errors",
    "InstitutionPolicy": "callkit._policy",
    "InstitutionRule": "callkit._rules",
    "LateFinding": "callkit._stream",
    "Milestone": "callkit._timeline",
    "Language": "callkit._i18n",
    "Message": "callkit._i18n",
    "MilestoneKind": "callkit._timeline",
    "Money": "callkit._money",
    "NoDeadlineError": "callkit._errors",
    "NotInForceError": "callkit._versions",
    "Note": "callkit._policy",
    "Offset": "callkit._timeline",
    "OwnShareRule": "callkit._rules",
    "PartnerCountryRule": "callkit._rules",
    "PluginError": "callkit._errors",
    "PluginStatus": "callkit._registry",
    "Provenance": "callkit._provenance",
    "Quota": "callkit._policy",
    "QuotaReport": "callkit._report",
    "Registry": "callkit._registry",
    "RequiredFieldsRule": "callkit._rules",
    "Review": "callkit._report",
    "ReviewStream": "callkit._stream",
    "ReviewSummary": "callkit._stream",
    "Rollover": "callkit._workdays",
    "Rule": "callkit._rules",
    "RuleCheck": "callkit._rules",
    "RuleContext": "callkit._rules",
    "SchemeRule": "callkit._rules",
    "Severity": "callkit._finding",
    "Source": "callkit._provenance",
    "Term": "callkit._rules",
    "Text": "callkit._text",
    "Timeline": "callkit._timeline",
    "clear_cache": "callkit._registry",
    "configure_converter": "callkit._convert",
    "default_language": "callkit._i18n",
    "get_call": "callkit._registry",
    "get_definition": "callkit._registry",
    "list_calls": "callkit._registry",
    "load_call": "callkit._convert",
    "load_definition": "callkit._convert",
    "make_converter": "callkit._convert",
    "msg": "callkit._i18n",
    "open_application_file": "callkit._readers",
    "read_application_file": "callkit._readers",
    "read_applications": "callkit._readers",
    "structure_call": "callkit._convert",
    "structure_definition": "callkit._convert",
    "unstructure_call": "callkit._convert",
    "unstructure_definition": "callkit._convert",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401
    """Import a public name from its module on first use."""
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'callkit' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names."""
    return sorted(__all__)
