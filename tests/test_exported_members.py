"""The public surface is explicit: growing it is a decision, not an accident."""

from __future__ import annotations

import importlib
import pkgutil

import revox_async

EXPECTED = {
    "APIConnectionError", "APIError", "APIResponseValidationError", "APIStatusError",
    "APITimeoutError", "Assistant", "AssistantCreateParams", "AssistantUpdateParams",
    "Assistants", "AsyncRevox", "AuthStatus", "AuthenticationError", "BadRequestError",
    "BatchAbortedError", "BatchItem", "BatchResult", "BatchStream", "Calendly", "CalendlyParams", "Call",
    "CallAttempt", "CallCampaign", "CallConcurrencyParams", "CallCreateParams", "CallFilterParams", "CallPage",
    "CallRetryConfig", "CallRetryConfigParams", "CallingWindow", "CallingWindowParams", "Calls",
    "Campaign", "CampaignContactParams", "CampaignCreateParams", "CampaignFunnelStats",
    "CampaignRow", "CampaignRowStats", "CampaignStatistics", "CampaignUpdateParams",
    "Campaigns", "ClientClosedError", "ClonedVoice", "ConflictError", "Contact", "CsvExport",
    "CustomModel", "CustomModelParams", "CustomTool", "CustomToolParams", "DataExtraction",
    "DedicatedInstanceModel", "DedicatedInstanceModelParams", "Effort", "EmailLog", "FaqItem",
    "FaqItemParams", "Funnel", "FunnelCalled", "FunnelReached", "FunnelStep", "InboundStats",
    "InlineAssistantParams", "InternalServerError", "JournalLockedError", "JournalMismatchError", "JumpIn",
    "KeyValue", "KeyValueParams", "LLMModel", "LLMModelParams", "LaunchResult", "LaunchSkipped",
    "Lead", "Leads", "Member", "NOT_GIVEN", "NotFoundError", "NotGiven", "OpenRouterModel",
    "OpenRouterModelParams", "OutcomeCount", "OutcomeUnknownError", "PermissionDeniedError", "PhoneHistory",
    "PhoneNumber", "PhoneNumbers", "Position", "PositionParams", "PromptFlow", "PromptFlowEdge",
    "PromptFlowNode", "PromptFlowNodeData", "PromptFlowParams", "RateLimitError", "RawResponse",
    "RealtimeModel", "RealtimeModelParams", "ResponseTooLargeError", "RevoxError",
    "SelectionParams", "Slack", "SlackChannel", "SlackParams", "SmsLog", "SpeechEvent",
    "SpeedDialSession", "StatisticsCampaign", "StructuredOutputField",
    "StructuredOutputFieldParams", "SttContext", "SttContextParams", "SyncRevox",
    "TERMINAL_STATUSES", "TranscriptEntry", "TransferDestination", "TransferDestinationParams",
    "UnknownLLMModel", "UnpatchedCallsNotice", "UnprocessableEntityError", "User", "Users",
    "Voice", "VoiceInfo", "VoiceParams", "Voices", "WaitTimeoutError", "Zoho",
    "ZohoFieldMapping", "ZohoParams", "__version__", "to_dict",
}  # fmt: skip


def test_all_is_exactly_the_public_surface() -> None:
    """__all__ lists what is promised, and every name in it exists."""
    assert EXPECTED == set(revox_async.__all__)
    for name in revox_async.__all__:
        assert hasattr(revox_async, name), name


def test_all_is_sorted() -> None:
    """Sorted as ruff sorts it (constants, classes, functions), so a diff shows what changed."""
    assert list(revox_async.__all__) == sorted(revox_async.__all__, key=_ruff_order)


def _ruff_order(name: str) -> tuple[int, str]:
    kind = 0 if name.isupper() else (1 if name[:1].isupper() else 2)
    return (kind, name)


def test_implementation_modules_are_private() -> None:
    """Every module but the documented ones starts with an underscore."""
    public = {"testing", "cli", "webhooks"}
    for module in pkgutil.iter_modules(revox_async.__path__):
        assert module.name.startswith("_") or module.name in public, module.name


def test_public_classes_say_they_come_from_revox_async() -> None:
    """Nothing in __all__ is an aiohttp or cattrs object in disguise."""
    for name in revox_async.__all__:
        obj = getattr(revox_async, name)
        module = getattr(obj, "__module__", "revox_async")
        assert module == "revox_async" or name in ("LLMModel", "LLMModelParams"), (name, module)


def test_testing_module_exports() -> None:
    """revox_async.testing offers the mock server and its fault plan."""
    testing = importlib.import_module("revox_async.testing")
    assert [
        "CallPlan",
        "FaultPlan",
        "LoggedRequest",
        "MockRevoxServer",
        "WebhookAttempt",
        "WebhookDelivery",
    ] == sorted(testing.__all__)


def test_webhooks_module_exports() -> None:
    """revox_async.webhooks offers the event, its parser and the receiver."""
    webhooks = importlib.import_module("revox_async.webhooks")
    assert [
        "DEFAULT_SECRET_HEADER",
        "CallCompletedEvent",
        "WebhookCallback",
        "WebhookPayloadError",
        "WebhookReceiver",
        "parse_webhook",
    ] == list(webhooks.__all__)
    for name in ("CallCompletedEvent", "WebhookPayloadError", "WebhookReceiver"):
        assert "revox_async.webhooks" == getattr(webhooks, name).__module__
