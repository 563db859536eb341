"""Objects several resources share, and the TypedDicts that type them as parameters.

Read this module as the schema. Conventions that hold for every model:

* Fields the API documents are attributes; optional ones default to ``None``
  ("not set"; ``to_dict`` leaves them out unless the server sent ``null``).
* Enum-like fields are typed with ``Literal`` for static checking but are
  plain strings at run time: a value the SDK does not know yet is kept.
* Each model has a ``...Params`` TypedDict twin: a parameter accepts either
  the model or a plain dict, and mypy/pyright check the dict's keys and types.
* A field the API requires in requests but allows to be ``null``
  (``Required[Optional[...]]`` in the official client's types) carries
  ``metadata={"required_nullable": True}``: ``None`` is sent as ``null``, and a
  plain dict must have the key.
"""

# No ``from __future__ import annotations``: the TypedDicts' ``Required`` keys
# must be visible at run time (signatures shown to editors are built from them).

from typing import Any, Literal, Required, TypeAlias, TypedDict

import attrs

from ._base import Model

__all__ = [
    "Calendly",
    "CalendlyParams",
    "CallRetryConfig",
    "CallRetryConfigParams",
    "CallingWindow",
    "CallingWindowParams",
    "CustomModel",
    "CustomModelParams",
    "DedicatedInstanceModel",
    "DedicatedInstanceModelParams",
    "FaqItem",
    "FaqItemParams",
    "KeyValue",
    "KeyValueParams",
    "LLMModel",
    "LLMModelParams",
    "Member",
    "OpenRouterModel",
    "OpenRouterModelParams",
    "OutcomeFilter",
    "Position",
    "PositionParams",
    "RealtimeModel",
    "RealtimeModelParams",
    "StructuredOutputField",
    "StructuredOutputFieldParams",
    "TransferDestination",
    "TransferDestinationParams",
    "UnknownLLMModel",
    "Voice",
    "VoiceParams",
]

VoiceProvider: TypeAlias = Literal["cartesia", "elevenlabs", "gradium"]
CartesiaModel: TypeAlias = Literal["sonic-3", "sonic-3.5"]
FieldType: TypeAlias = Literal["string", "number", "boolean", "enum", "date", "datetime"]
Weekday: TypeAlias = Literal[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
]
Outcome: TypeAlias = Literal[
    "not_interested", "interested", "completed", "requested_callback_later"
]
OutcomeFilter: TypeAlias = Literal[Outcome, "none"]


@attrs.define(kw_only=True)
class Member(Model):
    """A person of the organization (who created something, who handled a call)."""

    id: str
    email: str
    first_name: str | None = None
    last_name: str | None = None


@attrs.define(kw_only=True)
class Voice(Model):
    """The voice the agent speaks with.

    ``speed`` ranges by provider (Cartesia 0.6–1.5, ElevenLabs 0.7–1.2,
    Gradium 0.6–1.5; default 1.0); ``model`` and ``volume`` (0.5–2.0) apply
    to Cartesia. The server checks the ranges.

    >>> Voice(id="79a125e8", provider="cartesia", speed=1.1)
    Voice(id='79a125e8', provider='cartesia', model=None, speed=1.1, volume=None)
    """

    id: str
    provider: VoiceProvider
    model: CartesiaModel | None = None
    speed: float | None = None
    volume: float | None = None


class VoiceParams(TypedDict, total=False):
    id: Required[str]
    provider: Required[VoiceProvider]
    model: CartesiaModel
    speed: float
    volume: float


@attrs.define(kw_only=True)
class Calendly(Model):
    """The link between a Calendly account and Revox, and the event type to book."""

    connection_id: str
    event_type_id: str


class CalendlyParams(TypedDict):
    connection_id: str
    event_type_id: str


@attrs.define(kw_only=True)
class CallingWindow(Model):
    """A window in the recipient's day when calls may be placed.

    Times are ``'HH:mm'`` (24-hour) or ``'H:mma'`` (12-hour), in the
    recipient's timezone: ``'17:00'``, ``'6pm'``, ``'10am'``.
    """

    calling_window_start_time: str
    calling_window_end_time: str
    retry_delay_seconds: int


class CallingWindowParams(TypedDict):
    calling_window_start_time: str
    calling_window_end_time: str
    retry_delay_seconds: int


@attrs.define(kw_only=True)
class CallRetryConfig(Model):
    """When and how often an unanswered call is retried.

    Server defaults: Monday to Friday, 3 attempts, not twice in a row;
    ``timezone`` (an IANA name) overrides the one guessed from the number.
    """

    calling_windows: list[CallingWindow]
    allowed_days: list[Weekday] | None = None
    call_twice_in_a_row: bool | None = None
    max_retry_attempts: int | None = None
    timezone: str | None = None


class CallRetryConfigParams(TypedDict, total=False):
    calling_windows: Required[list[CallingWindow | CallingWindowParams]]
    allowed_days: list[Weekday]
    call_twice_in_a_row: bool
    max_retry_attempts: int
    timezone: str | None


@attrs.define(kw_only=True)
class KeyValue(Model):
    """A named string (a header, a query parameter, a term with its meaning)."""

    key: str
    value: str


class KeyValueParams(TypedDict):
    key: str
    value: str


@attrs.define(kw_only=True)
class StructuredOutputField(Model):
    """One piece of data to extract from a call, or one input of a custom tool."""

    name: str
    required: bool
    type: FieldType
    description: str | None = None
    enum_options: list[str] | None = None


class StructuredOutputFieldParams(TypedDict, total=False):
    name: Required[str]
    required: Required[bool]
    type: Required[FieldType]
    description: str
    enum_options: list[str]


@attrs.define(kw_only=True)
class FaqItem(Model):
    """A question the agent can answer.

    Requests send ``question`` and ``answer``; the server adds ``id``,
    ``needs_human_answer`` and ``source``.
    """

    question: str
    answer: str
    id: str | None = None
    needs_human_answer: bool | None = None
    source: Literal["human", "ai"] | None = None


class FaqItemParams(TypedDict):
    question: str
    answer: str


@attrs.define(kw_only=True)
class Position(Model):
    """Where the UI's editor draws something."""

    x: float
    y: float


class PositionParams(TypedDict):
    x: float
    y: float


@attrs.define(kw_only=True)
class TransferDestination(Model):
    """A number a call can be handed over to (E.164, e.g. ``'+14155550100'``)."""

    label: str
    phone_number: str


class TransferDestinationParams(TypedDict):
    label: str
    phone_number: str


@attrs.define(kw_only=True)
class DedicatedInstanceModel(Model):
    """An LLM served on a Revox dedicated instance.

    >>> DedicatedInstanceModel(name="gpt-4.1")
    DedicatedInstanceModel(type='dedicated-instance', name='gpt-4.1')
    """

    type: Literal["dedicated-instance"] = "dedicated-instance"
    name: Literal["gpt-4.1", "ministral-3-8b-instruct"]


class DedicatedInstanceModelParams(TypedDict):
    type: Literal["dedicated-instance"]
    name: Literal["gpt-4.1", "ministral-3-8b-instruct"]


@attrs.define(kw_only=True)
class OpenRouterModel(Model):
    """An LLM reached through OpenRouter.

    >>> OpenRouterModel(openrouter_model_id="openai/gpt-4.1", openrouter_provider="openai")
    OpenRouterModel(type='openrouter', openrouter_model_id='openai/gpt-4.1', \
openrouter_provider='openai')
    """

    type: Literal["openrouter"] = "openrouter"
    openrouter_model_id: str
    openrouter_provider: str


class OpenRouterModelParams(TypedDict):
    type: Literal["openrouter"]
    openrouter_model_id: str
    openrouter_provider: str


@attrs.define(kw_only=True)
class CustomModel(Model):
    """Your own OpenAI-compatible endpoint (``api_key`` is never shown in the repr)."""

    type: Literal["custom"] = "custom"
    api_key: str = attrs.field(repr=False)
    api_url: str
    model_name: str


class CustomModelParams(TypedDict):
    type: Literal["custom"]
    api_key: str
    api_url: str
    model_name: str


@attrs.define(kw_only=True)
class RealtimeModel(Model):
    """A speech-to-speech model (OpenAI or Google realtime)."""

    type: Literal["realtime"] = "realtime"
    provider: Literal["openai", "google"]
    realtime_model_id: str
    realtime_voice_id: str | None = None


class RealtimeModelParams(TypedDict, total=False):
    type: Required[Literal["realtime"]]
    provider: Required[Literal["openai", "google"]]
    realtime_model_id: Required[str]
    realtime_voice_id: str


@attrs.define(kw_only=True)
class UnknownLLMModel(Model):
    """An ``llm_model`` variant newer than this SDK (or one it could not read).

    ``type`` is the variant's tag; every other key the server sent is in
    ``extra_fields``, and `revox_async.to_dict` gives the object back
    exactly as it came, so it can be sent back unchanged.
    """

    type: str | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict)


LLMModel: TypeAlias = (
    DedicatedInstanceModel | OpenRouterModel | CustomModel | RealtimeModel | UnknownLLMModel
)
"""The ``llm_model`` union, tagged by its ``type`` key."""

LLMModelParams: TypeAlias = (
    LLMModel
    | DedicatedInstanceModelParams
    | OpenRouterModelParams
    | CustomModelParams
    | RealtimeModelParams
)
"""What an ``llm_model`` parameter accepts: a model, or the dict of a known variant."""
