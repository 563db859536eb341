"""The assistant: an AI voice agent's prompt, voice, tools and call behaviour."""

# No ``from __future__ import annotations``: see shared.py.

from datetime import datetime
from typing import Literal, Required, TypeAlias, TypedDict, get_args, get_type_hints

import attrs

from revox_async._types import NotGiven

from ._base import Model
from .shared import (
    Calendly,
    CalendlyParams,
    CallRetryConfig,
    CallRetryConfigParams,
    FaqItem,
    FaqItemParams,
    KeyValue,
    KeyValueParams,
    LLMModel,
    LLMModelParams,
    Member,
    OutcomeFilter,
    Position,
    PositionParams,
    StructuredOutputField,
    StructuredOutputFieldParams,
    TransferDestination,
    TransferDestinationParams,
    Voice,
    VoiceParams,
)

__all__ = [
    "Assistant",
    "AssistantCreateParams",
    "AssistantUpdateParams",
    "CustomTool",
    "CustomToolParams",
    "PromptFlow",
    "PromptFlowEdge",
    "PromptFlowNode",
    "PromptFlowNodeData",
    "PromptFlowParams",
    "Slack",
    "SlackChannel",
    "SlackParams",
    "SttContext",
    "SttContextParams",
    "UnpatchedCallsNotice",
    "Zoho",
    "ZohoFieldMapping",
    "ZohoParams",
]

AssistantType: TypeAlias = Literal["standalone", "multi-step", "sub-assistant"]
SttModel: TypeAlias = Literal["stt-rt-v4", "stt-rt-v5"]
FirstSentenceMode: TypeAlias = Literal["generated", "static", "none"]
BackgroundSound: TypeAlias = Literal["audio/office.ogg"]
ThinkingSound: TypeAlias = Literal[
    "city-ambience.ogg",
    "forest-ambience.ogg",
    "office-ambience.ogg",
    "crowded-room.ogg",
    "keyboard-typing.ogg",
    "keyboard-typing2.ogg",
    "hold_music.ogg",
]
HumanTransferMode: TypeAlias = Literal["warm", "cold"]
HttpMethod: TypeAlias = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


@attrs.define(kw_only=True)
class SttContext(Model):
    """Hints for speech recognition: context as key/value pairs, and special terms."""

    general: list[KeyValue]
    terms: list[str]


class SttContextParams(TypedDict):
    general: list[KeyValue | KeyValueParams]
    terms: list[str]


@attrs.define(kw_only=True)
class CustomTool(Model):
    """An HTTP call the agent can make during a call (``{{var}}`` placeholders allowed)."""

    name: str
    description: str
    method: HttpMethod
    url: str
    headers: list[KeyValue]
    query_params: list[KeyValue]
    input_schema: list[StructuredOutputField]
    body_template: str | None = attrs.field(default=None, metadata={"required_nullable": True})
    """The request body, or ``None`` for none: the API requires the key, so ``None`` is
    sent as ``null``."""


class CustomToolParams(TypedDict):
    name: str
    description: str
    method: HttpMethod
    url: str
    headers: list[KeyValue | KeyValueParams]
    query_params: list[KeyValue | KeyValueParams]
    input_schema: list[StructuredOutputField | StructuredOutputFieldParams]
    body_template: str | None


@attrs.define(kw_only=True)
class PromptFlowNodeData(Model):
    title: str
    body: str


@attrs.define(kw_only=True)
class PromptFlowNode(Model):
    id: str
    type: Literal["promptBlock"]
    data: PromptFlowNodeData
    position: Position


@attrs.define(kw_only=True)
class PromptFlowEdge(Model):
    id: str
    source: str
    target: str


@attrs.define(kw_only=True)
class PromptFlow(Model):
    """The prompt as the UI's flow editor draws it (it does not change calls)."""

    nodes: list[PromptFlowNode]
    edges: list[PromptFlowEdge]


class _PromptFlowNodeDataParams(TypedDict):
    title: str
    body: str


class _PromptFlowNodeParams(TypedDict):
    id: str
    type: Literal["promptBlock"]
    data: PromptFlowNodeData | _PromptFlowNodeDataParams
    position: Position | PositionParams


class _PromptFlowEdgeParams(TypedDict):
    id: str
    source: str
    target: str


class PromptFlowParams(TypedDict):
    nodes: list[PromptFlowNode | _PromptFlowNodeParams]
    edges: list[PromptFlowEdge | _PromptFlowEdgeParams]


@attrs.define(kw_only=True)
class SlackChannel(Model):
    id: str
    name: str | None = None


@attrs.define(kw_only=True)
class Slack(Model):
    """Post a message to Slack channels after calls with these outcomes."""

    connection_id: str
    channels: list[SlackChannel]
    outcomes: list[OutcomeFilter]
    template: str | None = None


class _SlackChannelParams(TypedDict, total=False):
    id: Required[str]
    name: str | None


class SlackParams(TypedDict, total=False):
    connection_id: Required[str]
    channels: Required[list[SlackChannel | _SlackChannelParams]]
    outcomes: Required[list[OutcomeFilter]]
    template: str | None


@attrs.define(kw_only=True)
class ZohoFieldMapping(Model):
    source: str
    zoho_field: str


@attrs.define(kw_only=True)
class Zoho(Model):
    """Write call results into a Zoho CRM module."""

    connection_id: str
    module: str
    field_mapping: list[ZohoFieldMapping]
    log_call_activity: bool
    outcomes: list[OutcomeFilter]
    template: str | None = None


class _ZohoFieldMappingParams(TypedDict):
    source: str
    zoho_field: str


class ZohoParams(TypedDict, total=False):
    connection_id: Required[str]
    module: Required[str]
    field_mapping: Required[list[ZohoFieldMapping | _ZohoFieldMappingParams]]
    log_call_activity: Required[bool]
    outcomes: Required[list[OutcomeFilter]]
    template: str | None


@attrs.define(kw_only=True)
class UnpatchedCallsNotice(Model):
    """From ``update()``: calls already placed that keep the old settings."""

    count: float
    variables: list[str]


@attrs.define(kw_only=True)
class Assistant(Model):
    """An AI voice agent: its prompt, voice, tools and call behaviour.

    Timestamps are timezone-aware datetimes when the server sends ISO-8601
    strings (``to_dict`` writes back the exact string), and are kept as sent
    otherwise. ``transfer_phone_number`` is the older API's single transfer
    number; newer accounts use ``transfer_destinations``.
    """

    id: str
    name: str
    prompt: str
    organization_id: str | None = None
    type: AssistantType | None = None
    created_at: datetime | str | None = None
    updated_at: datetime | str | None = None
    created_by: Member | None = None
    voice: Voice | None = None
    llm_model: LLMModel | None = None
    stt_model: SttModel | None = None
    stt_context: SttContext | None = None
    first_sentence: str | None = None
    first_sentence_mode: FirstSentenceMode | None = None
    first_sentence_delay_ms: int | None = None
    end_of_call_sentence: str | None = None
    max_call_duration_secs: float | None = None
    max_duration_end_message: str | None = None
    voicemail_message: str | None = None
    background_sound: BackgroundSound | None = None
    background_sound_volume: float | None = None
    thinking_sound: ThinkingSound | None = None
    thinking_sound_probability: float | None = None
    thinking_sound_volume: float | None = None
    webhook_url: str | None = None
    from_phone_number: str | None = None
    transfer_phone_number: str | None = None
    transfer_destinations: list[TransferDestination] | None = None
    human_transfer_mode: HumanTransferMode | None = None
    warm_transfer_summary_instructions: str | None = None
    ivr_navigation_enabled: bool | None = None
    sms_enabled: bool | None = None
    sms_template: str | None = None
    voicemail_sms_prompt: str | None = None
    after_call_sms_prompt: str | None = None
    after_call_sms_outcomes: list[OutcomeFilter] | None = None
    email_notification_address: str | None = None
    email_notification_outcomes: list[OutcomeFilter] | None = None
    slack: Slack | None = None
    zoho: Zoho | None = None
    calendly: Calendly | None = None
    call_retry_config: CallRetryConfig | None = None
    custom_tools: list[CustomTool] | None = None
    structured_output_config: list[StructuredOutputField] | None = None
    structured_output_prompt: str | None = None
    faq_items: list[FaqItem] | None = None
    pending_faq_count: float | None = None
    cartesia_dictionary_pronunciation_id: str | None = None
    precall_lookup_url: str | None = None
    logo_url: str | None = None
    position: Position | None = None
    prompt_flow: PromptFlow | None = None
    is_inbound_receptionist: bool | None = None
    is_realestate_assistant: bool | None = None
    unpatched_calls_notice: UnpatchedCallsNotice | None = attrs.field(
        default=None, metadata={"wire": False}
    )
    """Set by ``update()`` only (the response's ``unpatchedCallsNotice``); not a field
    of the assistant, so ``to_dict`` leaves it out."""


class _AssistantParams(TypedDict, total=False):
    type: AssistantType | NotGiven
    voice: Voice | VoiceParams | NotGiven
    llm_model: LLMModelParams | NotGiven
    stt_model: SttModel | NotGiven
    stt_context: SttContext | SttContextParams | NotGiven | None
    first_sentence: str | NotGiven
    first_sentence_mode: FirstSentenceMode | NotGiven
    first_sentence_delay_ms: int | NotGiven
    end_of_call_sentence: str | NotGiven
    max_call_duration_secs: float | NotGiven
    max_duration_end_message: str | NotGiven | None
    voicemail_message: str | NotGiven | None
    background_sound: BackgroundSound | NotGiven | None
    background_sound_volume: float | NotGiven
    thinking_sound: ThinkingSound | NotGiven | None
    thinking_sound_probability: float | NotGiven
    thinking_sound_volume: float | NotGiven
    webhook_url: str | NotGiven
    from_phone_number: str | NotGiven | None
    transfer_phone_number: str | NotGiven | None
    transfer_destinations: list[TransferDestination | TransferDestinationParams] | NotGiven | None
    human_transfer_mode: HumanTransferMode | NotGiven | None
    warm_transfer_summary_instructions: str | NotGiven | None
    ivr_navigation_enabled: bool | NotGiven
    sms_enabled: bool | NotGiven
    sms_template: str | NotGiven | None
    voicemail_sms_prompt: str | NotGiven | None
    after_call_sms_prompt: str | NotGiven | None
    after_call_sms_outcomes: list[OutcomeFilter] | NotGiven | None
    email_notification_address: str | NotGiven | None
    email_notification_outcomes: list[OutcomeFilter] | NotGiven | None
    slack: Slack | SlackParams | NotGiven | None
    zoho: Zoho | ZohoParams | NotGiven | None
    calendly: Calendly | CalendlyParams | NotGiven | None
    call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven
    custom_tools: list[CustomTool | CustomToolParams] | NotGiven | None
    structured_output_config: list[StructuredOutputField | StructuredOutputFieldParams] | NotGiven
    structured_output_prompt: str | NotGiven | None
    faq_items: list[FaqItem | FaqItemParams] | NotGiven
    cartesia_dictionary_pronunciation_id: str | NotGiven | None
    precall_lookup_url: str | NotGiven | None
    logo_url: str | NotGiven | None
    position: Position | PositionParams | NotGiven | None
    prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None


class AssistantCreateParams(_AssistantParams, total=False):
    """The keyword arguments of ``assistants.create``: ``name`` and ``prompt`` are required.

    Nested values may be models or plain dicts. ``None`` sends ``null``
    (which clears a nullable field); ``NOT_GIVEN`` leaves a field out.
    """

    name: Required[str]
    prompt: Required[str]


class AssistantUpdateParams(_AssistantParams, total=False):
    """The keyword arguments of ``assistants.update``: any subset of the create params."""

    name: str | NotGiven
    prompt: str | NotGiven


_PARAM_TYPES = get_type_hints(AssistantUpdateParams)
PARAM_NAMES = frozenset(_PARAM_TYPES)
"""The names of every create/update parameter."""
NULLABLE_PARAMS = frozenset(name for name, tp in _PARAM_TYPES.items() if type(None) in get_args(tp))
"""Parameters where ``null`` means something (it clears the value)."""
SERVER_FIELDS = (
    frozenset(f.name for f in attrs.fields(Assistant) if f.init) - {"extra_fields"} - PARAM_NAMES
)
"""Assistant fields the server sets: those that are no create/update parameter."""
