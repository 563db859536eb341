"""The Revox data model, as plain attrs classes.

Read this module as the schema. Conventions that hold for every class:

* Fields the API documents are attributes; optional ones default to ``None``,
  and ``None`` means "not set" (``to_dict`` leaves it out).
* Enum-like fields are typed with ``Literal`` for static checking but are
  plain strings at run time: a value the SDK does not know yet is kept, never
  rejected.
* ``extra_fields`` holds every key the server sent that this version of the
  SDK does not know. :func:`revox_async.to_dict` writes them back, so an
  object fetched from a newer API round-trips without losing anything.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeAlias

import attrs

__all__ = [
    "Assistant",
    "BackgroundSound",
    "Calendly",
    "CallRetryConfig",
    "CallingWindow",
    "DedicatedInstanceModel",
    "FaqItem",
    "FirstSentenceMode",
    "LLMModel",
    "OpenRouterModel",
    "StructuredOutputField",
    "StructuredOutputType",
    "UnknownLLMModel",
    "Voice",
    "VoiceProvider",
]

VoiceProvider: TypeAlias = Literal["cartesia", "elevenlabs"]
FirstSentenceMode: TypeAlias = Literal["generated", "static", "none"]
BackgroundSound: TypeAlias = Literal["audio/office.ogg"]
StructuredOutputType: TypeAlias = Literal["string", "number", "boolean", "enum", "date", "datetime"]
FaqSource: TypeAlias = Literal["human", "ai"]
DedicatedModelName: TypeAlias = Literal["gpt-4.1", "ministral-3-8b-instruct"]


@attrs.define(kw_only=True)
class Voice:
    """The voice the agent speaks with.

    ``speed`` ranges by provider: Cartesia 0.6–1.5, ElevenLabs 0.7–1.2
    (the server's default is 1.0).

    >>> Voice(id="79a125e8", provider="cartesia", speed=1.1)
    Voice(id='79a125e8', provider='cartesia', speed=1.1)
    """

    id: str
    provider: VoiceProvider
    speed: float | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class Calendly:
    """The link between a Calendly account and Revox, and the event type to book."""

    connection_id: str
    event_type_id: str
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class CallingWindow:
    """A window in the recipient's day when retries may be placed.

    Times are ``'HH:mm'`` (24-hour) or ``'H:mma'`` (12-hour): ``'17:00'``,
    ``'6pm'``, ``'10am'``.
    """

    calling_window_start_time: str
    calling_window_end_time: str
    retry_delay_seconds: int
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class CallRetryConfig:
    """When and how often an unanswered call is retried.

    ``max_retry_attempts`` defaults to 3 on the server; ``timezone`` (an IANA
    name) overrides the one guessed from the recipient's number.
    """

    calling_windows: list[CallingWindow]
    max_retry_attempts: int | None = None
    timezone: str | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class FaqItem:
    """A question the agent can answer.

    In requests only ``question`` and ``answer`` matter; the server adds
    ``id``, ``needs_human_answer`` and ``source``.
    """

    question: str
    answer: str
    id: str | None = None
    needs_human_answer: bool | None = None
    source: FaqSource | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class StructuredOutputField:
    """One piece of data to extract from the call (an email, a company name…)."""

    name: str
    required: bool
    type: StructuredOutputType
    description: str | None = None
    enum_options: list[str] | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class DedicatedInstanceModel:
    """An LLM served on a Revox dedicated instance.

    >>> DedicatedInstanceModel(name="gpt-4.1")
    DedicatedInstanceModel(type='dedicated-instance', name='gpt-4.1')
    """

    type: Literal["dedicated-instance"] = "dedicated-instance"
    name: DedicatedModelName
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class OpenRouterModel:
    """An LLM reached through OpenRouter.

    >>> OpenRouterModel(openrouter_model_id="openai/gpt-4.1", openrouter_provider="openai")
    OpenRouterModel(type='openrouter', openrouter_model_id='openai/gpt-4.1', \
openrouter_provider='openai')
    """

    type: Literal["openrouter"] = "openrouter"
    openrouter_model_id: str
    openrouter_provider: str
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class UnknownLLMModel:
    """An ``llm_model`` variant newer than this SDK.

    ``type`` is the variant's tag; every other key the server sent is in
    ``extra_fields``, and :func:`~revox_async.to_dict` gives the object back
    exactly as it came, so it can be sent back unchanged.
    """

    type: str
    extra_fields: dict[str, Any] = attrs.field(factory=dict)


LLMModel: TypeAlias = DedicatedInstanceModel | OpenRouterModel | UnknownLLMModel
"""The ``llm_model`` union, tagged by its ``type`` key."""


@attrs.define(kw_only=True)
class Assistant:
    """An AI voice agent: its prompt, voice and call behaviour.

    ``created_at`` and ``updated_at`` are timezone-aware datetimes when the
    server sends ISO-8601 strings, and are kept as sent otherwise.
    """

    id: str
    name: str
    prompt: str
    organization_id: str | None = None
    created_at: datetime | str | None = None
    updated_at: datetime | str | None = None
    background_sound: BackgroundSound | None = None
    calendly: Calendly | None = None
    call_retry_config: CallRetryConfig | None = None
    end_of_call_sentence: str | None = None
    faq_items: list[FaqItem] | None = None
    first_sentence: str | None = None
    first_sentence_delay_ms: int | None = None
    first_sentence_mode: FirstSentenceMode | None = None
    ivr_navigation_enabled: bool | None = None
    llm_model: LLMModel | None = None
    max_call_duration_secs: float | None = None
    structured_output_config: list[StructuredOutputField] | None = None
    transfer_phone_number: str | None = None
    voice: Voice | None = None
    voicemail_message: str | None = None
    webhook_url: str | None = None
    pending_faq_count: float | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)
