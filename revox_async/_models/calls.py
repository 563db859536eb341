"""A call order, its attempts and what they produced (transcripts, structured output)."""

# No ``from __future__ import annotations``: see shared.py.

import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Required, TypeAlias, TypedDict, get_args

import attrs

from revox_async._types import NotGiven

from ._base import Model, resolve_module
from .assistants import Assistant, AssistantCreateParams
from .shared import CallRetryConfig, LLMModel, Member, Outcome, OutcomeFilter

__all__ = [
    "TERMINAL_STATUSES",
    "Call",
    "CallAttempt",
    "CallCampaign",
    "CallConcurrencyParams",
    "CallCreateParams",
    "CallFilterParams",
    "CallPage",
    "Contact",
    "CsvExport",
    "EmailLog",
    "InlineAssistantParams",
    "PhoneHistory",
    "SmsLog",
    "SpeechEvent",
    "TranscriptEntry",
]

CallStatus: TypeAlias = Literal[
    "initializing",
    "queued_for_calling",
    "calling",
    "post_processing",
    "not_launched",
    "scheduled",
    "paused",
    "completed",
    "cancelled",
    "errored",
]
AttemptStatus: TypeAlias = Literal["queued", "ringing", "ongoing", "completed", "error"]
Result: TypeAlias = Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter"]
ResultFilter: TypeAlias = Literal[Result, "none"]
Direction: TypeAlias = Literal["inbound", "outbound"]
DialError: TypeAlias = Literal[
    "number_non_attributed",
    "too_many_calls",
    "busy",
    "temporarily_unavailable",
    "no_answer",
    "no_international_permission",
    "precondition_failed",
    "non_classified_error",
]
EndReason: TypeAlias = Literal[
    "client_initiated",
    "connection_timeout",
    "human_takeover",
    "ivr_no_navigate",
    "max_duration",
    "participant_removed",
    "tool_end_call",
    "transfer",
    "user_inactive",
    "user_rejected",
    "user_unavailable",
    "voicemail",
    "speed_dial_abandoned",
    "speed_dial_operator_missed",
    "speed_dial_timeout",
    "speed_dial_hangup",
]
EndedBy: TypeAlias = Literal["agent", "user", "system"]
Timestamp: TypeAlias = datetime | str | None

TERMINAL_STATUSES: frozenset[str] = frozenset({"completed", "cancelled", "errored"})
"""The statuses a call order does not leave (what ``calls.wait`` waits for)."""
_KNOWN_STATUSES: frozenset[str] = frozenset(get_args(CallStatus))


@attrs.define(kw_only=True)
class TranscriptEntry(Model):
    """One turn of a conversation (or one tool call the agent made)."""

    role: Literal["user", "assistant", "human_agent", "tool"] | None = None
    content: str | None = None
    tool_name: str | None = None
    tool_arguments: dict[str, Any] | str | None = None
    tool_output: str | None = None
    tool_is_error: bool | None = None


@attrs.define(kw_only=True)
class EmailLog(Model):
    id: str | None = None
    created_at: Timestamp = None
    from_address: str | None = None
    to_emails: list[str] | None = None
    subject: str | None = None
    resend_message_id: str | None = None


@attrs.define(kw_only=True)
class SmsLog(Model):
    id: str | None = None
    created_at: Timestamp = None
    message_body: str | None = None
    provider: Literal["twilio", "vonage"] | None = None
    provider_message_id: str | None = None
    to_phone_number: str | None = None
    type: Literal["in_call", "voicemail", "after_call"] | None = None


@attrs.define(kw_only=True)
class SpeechEvent(Model):
    """One stretch of speech, with the pipeline's latencies (milliseconds)."""

    id: str | None = None
    speaker: Literal["user", "agent"] | None = None
    is_real_turn: bool | None = None
    started_speaking_at_ms: float | None = None
    stopped_speaking_at_ms: float | None = None
    transcript: str | None = None
    stt_transcription_delay_ms: float | None = None
    llm_ttft_ms: float | None = None
    llm_winner_model: str | None = None
    llm_system_prompt: str | None = None
    tts_ttfb_ms: float | None = None
    was_cut: bool | None = None


@attrs.define(kw_only=True)
class CallAttempt(Model):
    """One dial of a call order: who answered (``result``), how it ended, what was said."""

    id: str
    status: AttemptStatus | None = None
    phone_number: str | None = None
    started_at: Timestamp = None
    answered_at: Timestamp = None
    ended_at: Timestamp = None
    result: Result | None = None
    dial_error: DialError | None = None
    ended_by: EndedBy | None = None
    end_reason: EndReason | None = None
    handled_by_ai: bool | None = None
    handled_by_human: bool | None = None
    handled_by_user: Member | None = None
    recording_url: str | None = None
    transcript: list[TranscriptEntry] | None = None
    """The live transcript."""
    post_call_transcript: list[TranscriptEntry] | None = None
    """The transcript produced after the call (usually the better one)."""
    structured_output: dict[str, Any] | None = None
    assistants_used: list[str] | None = None
    email_log: list[EmailLog] | None = None
    sms_log: list[SmsLog] | None = None
    speech_events: list[SpeechEvent] | None = None


@attrs.define(kw_only=True)
class Contact(Model):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    company: str | None = None
    job_title: str | None = None


@attrs.define(kw_only=True)
class CallCampaign(Model):
    """The campaign a call belongs to."""

    id: str
    name: str | None = None


@attrs.define(kw_only=True)
class Call(Model):
    """A call order: one phone number to reach, over one or more attempts.

    ``status`` ends at ``completed``, ``cancelled`` or ``errored`` (see
    ``is_terminal``); ``call_attempts`` are newest first. ``transcript`` and
    ``structured_output`` read the latest attempt's.
    """

    id: str
    organization_id: str | None = None
    status: CallStatus | None = None
    direction: Direction | None = None
    from_phone_number: str | None = None
    to_phone_number: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    scheduled_at: Timestamp = None
    is_cancelled: bool | None = None
    is_completed: bool | None = None
    calls_count: float | None = None
    call_attempts: list[CallAttempt] | None = None
    last_call_attempt: CallAttempt | None = None
    assistant: Assistant | None = None
    llm_model: LLMModel | None = None
    first_sentence_delay_ms: int | None = None
    call_retry_config: CallRetryConfig | None = None
    campaign: CallCampaign | None = None
    contact: Contact | None = None
    assignee: Member | None = None
    metadata: dict[str, str] | None = None
    prompt_variables: dict[str, str] | None = None
    outcome: Outcome | None = None
    outcome_summary: str | None = None
    follow_up_emails: list[str] | None = None
    slack_channel_ids: list[str] | None = None

    @property
    def is_terminal(self) -> bool:
        """Whether the call is over (completed, cancelled or errored).

        A status this SDK does not know yet (a newer API's) is over when the
        server's ``is_completed`` or ``is_cancelled`` says so: ``calls.wait``
        then returns instead of polling a finished call until its timeout.
        """
        if self.status in TERMINAL_STATUSES:
            return True
        return self.status not in _KNOWN_STATUSES and (
            self.is_completed is True or self.is_cancelled is True
        )

    @property
    def latest_attempt(self) -> CallAttempt | None:
        """``last_call_attempt``, else the newest of ``call_attempts``."""
        if self.last_call_attempt is not None:
            return self.last_call_attempt
        return self.call_attempts[0] if self.call_attempts else None

    @property
    def transcript(self) -> list[TranscriptEntry]:
        """The latest attempt's transcript (post-call if there is one), or ``[]``."""
        attempt = self.latest_attempt
        if attempt is None:
            return []
        return attempt.post_call_transcript or attempt.transcript or []

    @property
    def structured_output(self) -> dict[str, Any] | None:
        attempt = self.latest_attempt
        return None if attempt is None else attempt.structured_output


@attrs.define(kw_only=True)
class CallPage(Model):
    """One page of ``calls.search_page``: the calls and how many match in all."""

    calls: list[Call] = attrs.field(factory=list)
    total_count: int | None = None


@attrs.define(kw_only=True)
class PhoneHistory(Model):
    """What the organisation's calls to one number came to."""

    count: float | None = None
    campaigns: list[CallCampaign] | None = None
    do_not_contact: bool | None = None
    hot: bool | None = None
    reached_human: bool | None = None
    last_called_at: Timestamp = None
    last_outcome: Outcome | None = None


@attrs.define(kw_only=True)
class CsvExport(Model):
    """An export: the CSV text and the file name the server suggests.

    export = await client.calls.export(statuses=["completed"])
    path = export.save()                  # ./<filename>, or export.save("calls.csv")
    """

    csv: str = ""
    filename: str | None = None

    def save(self, path: str | Path | None = None) -> Path:
        """Write the CSV (UTF-8) to ``path`` and return where it went.

        Without ``path``, to the server's suggested ``filename`` in the current
        directory, made safe: its last part only, letters, digits, ``.``, ``-``
        and ``_`` (others become ``_``), no leading dot, at most 120 characters,
        ``export.csv`` if nothing is left; and never over an existing file
        (`FileExistsError`): the name comes from the server. A ``path`` you give
        is written as is, replacing what is there.
        """
        if path is not None:
            target = Path(path)
            target.write_text(self.csv, encoding="utf-8", newline="")
            return target
        target = Path(_safe_filename(self.filename))
        try:
            with target.open("x", encoding="utf-8", newline="") as file:
                file.write(self.csv)
        except FileExistsError:
            raise FileExistsError(
                f"{str(target)!r} (the server's suggested name) exists: pass save(path) to "
                "choose where the export goes, or to replace that file"
            ) from None
        return target


def _safe_filename(suggested: object) -> str:
    name = str(suggested or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    if len(name) > _MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        keep = f".{suffix}" if dot and stem and len(suffix) <= 10 else ""
        name = name[: _MAX_NAME - len(keep)] + keep
    return name if name.strip("_") else "export.csv"


_MAX_NAME = 120


class InlineAssistantParams(AssistantCreateParams, total=False):
    """An assistant given inline to ``calls.create``: the create params, ``name`` optional."""

    name: str | NotGiven  # type: ignore[misc]


class CallConcurrencyParams(TypedDict):
    """``calls.create(concurrency=...)``: the server applies the concurrency limit set up
    for ``key``."""

    key: str


class CallCreateParams(TypedDict, total=False):
    """The keyword arguments of ``calls.create``: ``phone_number`` (E.164) and either
    ``assistant_id`` or an inline ``assistant``."""

    phone_number: Required[str]
    assistant_id: str | NotGiven
    assistant: InlineAssistantParams | NotGiven
    from_phone_number: str | NotGiven
    prompt_variables: dict[str, str] | NotGiven
    metadata: dict[str, str] | NotGiven
    scheduled_at: datetime | str | NotGiven
    skip_calling_window: bool | NotGiven
    concurrency: CallConcurrencyParams | NotGiven


class CallFilterParams(TypedDict, total=False):
    """Filters of ``calls.search`` and ``calls.export``; an empty or absent list filters
    nothing, and ``"none"`` among ``outcomes``/``results`` matches calls without one."""

    statuses: list[CallStatus]
    assistant_ids: list[str]
    campaign_ids: list[str]
    assignee_ids: list[str]
    directions: list[Direction]
    from_phone_numbers: list[str]
    outcomes: list[OutcomeFilter]
    results: list[ResultFilter]
    call_ids: list[str] | NotGiven
    query: str | NotGiven
    sort_by: str | NotGiven
    sort_direction: Literal["asc", "desc"] | NotGiven
    to_phone_number: str | NotGiven


resolve_module(sys.modules[__name__], public=True)
