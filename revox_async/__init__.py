"""revox_async: an async-first Python SDK for the Revox API.

``import revox_async`` loads the errors; everything else in ``__all__`` (the
clients, the models, the resources, the bulk helpers) loads on first use
(``revox_async.Call``, ``from revox_async import Call``, or a client's first
``client.calls``), so importing the package stays fast (and the ``revox-async``
command can catch a Ctrl-C while it loads). Every module-level name that is not
public starts with ``_``: editors complete ``revox_async.`` with ``__all__``.
"""

import importlib as _importlib
import sys as _sys
import typing as _typing
from types import FunctionType as _FunctionType

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    RevoxError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if _typing.TYPE_CHECKING:  # pragma: no cover - what _LAZY and _MODELS load (test_import.py)
    from ._batch import BatchAbortedError, BatchItem, BatchResult, BatchStream
    from ._client import AsyncRevox
    from ._converter import to_dict
    from ._endpoint import RawResponse
    from ._journal import JournalLockedError, JournalMismatchError

    # The models, by name (a star import offers editors every name of a module):
    # written by scripts/gen_facades.py from __all__ here and in each model module.
    # isort: off
    # fmt: off
    from ._models.assistants import (
        Assistant, AssistantCreateParams, AssistantUpdateParams, CustomTool, CustomToolParams,
        PromptFlow, PromptFlowEdge, PromptFlowNode, PromptFlowNodeData, PromptFlowParams, Slack,
        SlackChannel, SlackParams, SttContext, SttContextParams, UnpatchedCallsNotice, Zoho,
        ZohoFieldMapping, ZohoParams,
    )
    from ._models.shared import (
        Calendly, CalendlyParams, CallRetryConfig, CallRetryConfigParams, CallingWindow,
        CallingWindowParams, CustomModel, CustomModelParams, DedicatedInstanceModel,
        DedicatedInstanceModelParams, FaqItem, FaqItemParams, KeyValue, KeyValueParams, LLMModel,
        LLMModelParams, Member, OpenRouterModel, OpenRouterModelParams, Position, PositionParams,
        RealtimeModel, RealtimeModelParams, StructuredOutputField, StructuredOutputFieldParams,
        TransferDestination, TransferDestinationParams, UnknownLLMModel, Voice, VoiceParams,
    )
    from ._models.calls import (
        Call, CallAttempt, CallCampaign, CallConcurrencyParams, CallCreateParams, CallFilterParams,
        CallPage, Contact, CsvExport, EmailLog, InlineAssistantParams, PhoneHistory, SmsLog,
        SpeechEvent, TERMINAL_STATUSES, TranscriptEntry,
    )
    from ._models.campaigns import (
        Campaign, CampaignContactParams, CampaignCreateParams, CampaignFunnelStats, CampaignRow,
        CampaignRowStats, CampaignStatistics, CampaignUpdateParams, DataExtraction, Effort, Funnel,
        FunnelCalled, FunnelReached, FunnelStep, InboundStats, JumpIn, LaunchResult, LaunchSkipped,
        Lead, Leads, OutcomeCount, SelectionParams, SpeedDialSession, StatisticsCampaign,
    )
    from ._models.phone_numbers import AuthStatus, PhoneNumber, User
    from ._models.voices import ClonedVoice, VoiceInfo
    # fmt: on
    # isort: on
    from ._resources.assistants import Assistants
    from ._resources.calls import Calls
    from ._resources.campaigns import Campaigns
    from ._resources.phone_numbers import PhoneNumbers, Users
    from ._resources.voices import Voices
    from ._sync import SyncRevox

__all__ = [
    "NOT_GIVEN",
    "TERMINAL_STATUSES",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Assistant",
    "AssistantCreateParams",
    "AssistantUpdateParams",
    "Assistants",
    "AsyncRevox",
    "AuthStatus",
    "AuthenticationError",
    "BadRequestError",
    "BatchAbortedError",
    "BatchItem",
    "BatchResult",
    "BatchStream",
    "Calendly",
    "CalendlyParams",
    "Call",
    "CallAttempt",
    "CallCampaign",
    "CallConcurrencyParams",
    "CallCreateParams",
    "CallFilterParams",
    "CallPage",
    "CallRetryConfig",
    "CallRetryConfigParams",
    "CallingWindow",
    "CallingWindowParams",
    "Calls",
    "Campaign",
    "CampaignContactParams",
    "CampaignCreateParams",
    "CampaignFunnelStats",
    "CampaignRow",
    "CampaignRowStats",
    "CampaignStatistics",
    "CampaignUpdateParams",
    "Campaigns",
    "ClientClosedError",
    "ClonedVoice",
    "ConflictError",
    "Contact",
    "CsvExport",
    "CustomModel",
    "CustomModelParams",
    "CustomTool",
    "CustomToolParams",
    "DataExtraction",
    "DedicatedInstanceModel",
    "DedicatedInstanceModelParams",
    "Effort",
    "EmailLog",
    "FaqItem",
    "FaqItemParams",
    "Funnel",
    "FunnelCalled",
    "FunnelReached",
    "FunnelStep",
    "InboundStats",
    "InlineAssistantParams",
    "InternalServerError",
    "JournalLockedError",
    "JournalMismatchError",
    "JumpIn",
    "KeyValue",
    "KeyValueParams",
    "LLMModel",
    "LLMModelParams",
    "LaunchResult",
    "LaunchSkipped",
    "Lead",
    "Leads",
    "Member",
    "NotFoundError",
    "NotGiven",
    "OpenRouterModel",
    "OpenRouterModelParams",
    "OutcomeCount",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PhoneHistory",
    "PhoneNumber",
    "PhoneNumbers",
    "Position",
    "PositionParams",
    "PromptFlow",
    "PromptFlowEdge",
    "PromptFlowNode",
    "PromptFlowNodeData",
    "PromptFlowParams",
    "RateLimitError",
    "RawResponse",
    "RealtimeModel",
    "RealtimeModelParams",
    "ResponseTooLargeError",
    "RevoxError",
    "SelectionParams",
    "Slack",
    "SlackChannel",
    "SlackParams",
    "SmsLog",
    "SpeechEvent",
    "SpeedDialSession",
    "StatisticsCampaign",
    "StructuredOutputField",
    "StructuredOutputFieldParams",
    "SttContext",
    "SttContextParams",
    "SyncRevox",
    "TranscriptEntry",
    "TransferDestination",
    "TransferDestinationParams",
    "UnknownLLMModel",
    "UnpatchedCallsNotice",
    "UnprocessableEntityError",
    "User",
    "Users",
    "Voice",
    "VoiceInfo",
    "VoiceParams",
    "Voices",
    "WaitTimeoutError",
    "Zoho",
    "ZohoFieldMapping",
    "ZohoParams",
    "__version__",
    "to_dict",
]

_LAZY: dict[str, str] = {
    "AsyncRevox": "._client",
    "RawResponse": "._endpoint",
    "SyncRevox": "._sync",
    "Assistants": "._resources.assistants",
    "Calls": "._resources.calls",
    "Campaigns": "._resources.campaigns",
    **dict.fromkeys(("PhoneNumbers", "Users"), "._resources.phone_numbers"),
    "Voices": "._resources.voices",
    **dict.fromkeys(("BatchAbortedError", "BatchItem", "BatchResult", "BatchStream"), "._batch"),
    **dict.fromkeys(("JournalLockedError", "JournalMismatchError"), "._journal"),
    "to_dict": "._converter",
}
"""Where each name of ``__all__`` not imported above loads from on first use; a name
not here is a model (see `_MODELS`)."""
_MODELS = ("assistants", "shared", "calls", "campaigns", "phone_numbers", "voices")
"""The modules of ``._models``, searched in this order, each loaded only when reached
(a new model is written in its module, that module's ``__all__`` and ``__all__`` here;
``scripts/gen_facades.py`` then writes its import for type checkers above)."""


def _publish(value: _typing.Any) -> _typing.Any:
    """Say where users import ``value`` from (reprs, tracebacks, ``help()``, the docs)."""
    if isinstance(value, (type, _FunctionType)) and value.__module__.startswith("revox_async."):
        value.__module__ = __name__
    return value


for _name in __all__:
    if _name in globals():
        _publish(globals()[_name])
del _name


def __getattr__(name: str) -> _typing.Any:
    """Load a name of ``__all__`` on first use, and whatever its module brought along
    (a resource loads ``_batch``: its errors say ``revox_async`` too)."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name in _LAZY:
        _importlib.import_module(_LAZY[name], __name__)
    else:  # a model: its module is the first of _MODELS that exports it
        for module in _MODELS:
            models = _importlib.import_module(f"._models.{module}", __name__)
            if name in models.__all__:
                globals()[name] = getattr(models, name)
                break
    for other, module in _LAZY.items():
        loaded = _sys.modules.get(__name__ + module)
        if loaded is not None and other not in globals():
            globals()[other] = _publish(getattr(loaded, other))
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
