"""revox_async: an async-first Python SDK for the Revox API."""

import importlib
from types import FunctionType
from typing import TYPE_CHECKING, Any

from . import _models
from ._batch import BatchAbortedError, BatchItem, BatchResult, BatchStream
from ._client import AsyncRevox
from ._converter import to_dict
from ._endpoint import RawResponse
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
from ._journal import JournalLockedError, JournalMismatchError
from ._models import (
    Assistant,
    AssistantCreateParams,
    AssistantUpdateParams,
    Calendly,
    CalendlyParams,
    CallingWindow,
    CallingWindowParams,
    CallRetryConfig,
    CallRetryConfigParams,
    CustomModel,
    CustomModelParams,
    CustomTool,
    CustomToolParams,
    DedicatedInstanceModel,
    DedicatedInstanceModelParams,
    FaqItem,
    FaqItemParams,
    KeyValue,
    KeyValueParams,
    LLMModel,
    LLMModelParams,
    Member,
    OpenRouterModel,
    OpenRouterModelParams,
    Position,
    PositionParams,
    PromptFlow,
    PromptFlowEdge,
    PromptFlowNode,
    PromptFlowNodeData,
    PromptFlowParams,
    RealtimeModel,
    RealtimeModelParams,
    Slack,
    SlackChannel,
    SlackParams,
    StructuredOutputField,
    StructuredOutputFieldParams,
    SttContext,
    SttContextParams,
    TransferDestination,
    TransferDestinationParams,
    UnknownLLMModel,
    UnpatchedCallsNotice,
    Voice,
    VoiceParams,
    Zoho,
    ZohoFieldMapping,
    ZohoParams,
)
from ._resources import Assistants
from ._sync import SyncRevox
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:  # loaded on first use (see __getattr__)
    from ._models.calls import (
        TERMINAL_STATUSES,
        Call,
        CallAttempt,
        CallCampaign,
        CallConcurrencyParams,
        CallCreateParams,
        CallFilterParams,
        CallPage,
        Contact,
        CsvExport,
        EmailLog,
        InlineAssistantParams,
        PhoneHistory,
        SmsLog,
        SpeechEvent,
        TranscriptEntry,
    )
    from ._models.campaigns import (
        Campaign,
        CampaignContactParams,
        CampaignCreateParams,
        CampaignFunnelStats,
        CampaignRow,
        CampaignRowStats,
        CampaignStatistics,
        CampaignUpdateParams,
        DataExtraction,
        Effort,
        Funnel,
        FunnelCalled,
        FunnelReached,
        FunnelStep,
        InboundStats,
        JumpIn,
        LaunchResult,
        LaunchSkipped,
        Lead,
        Leads,
        OutcomeCount,
        SelectionParams,
        SpeedDialSession,
        StatisticsCampaign,
    )
    from ._models.phone_numbers import (
        AuthStatus,
        PhoneNumber,
        User,
    )
    from ._models.voices import (
        ClonedVoice,
        VoiceInfo,
    )
    from ._resources import (
        Calls,
        Campaigns,
        PhoneNumbers,
        Users,
        Voices,
    )

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

# Public names say where users import them from (reprs, help(), the docs).
for _name in __all__:
    if _name in _models.LAZY or _name not in globals():
        continue
    _obj = globals()[_name]
    if isinstance(_obj, (type, FunctionType)) and _obj.__module__.startswith("revox_async."):
        _obj.__module__ = __name__
del _name, _obj

_LAZY: dict[str, str] = {
    **dict.fromkeys(_models.LAZY, "._models"),
    **dict.fromkeys(("Calls", "Campaigns", "PhoneNumbers", "Users", "Voices"), "._resources"),
}


def __getattr__(name: str) -> Any:
    """The models and resources loaded on first use (``import revox_async`` stays fast)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    if isinstance(value, type) and value.__module__.startswith("revox_async."):
        value.__module__ = __name__
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
