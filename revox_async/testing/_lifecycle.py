"""A call's life on the mock: a clock the test moves, a seeded plan, the steps.

Nothing here sleeps. Each call carries a `Progress` (its step, and the mock
time its next step is due); `catch_up` applies every step due by a time, so
``advance(60)`` plays the same minute whether the server was asked once or
a thousand times in it. A campaign's status follows its calls
(`refresh_campaign`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import attrs

from ._common import iso, new_id, parse_iso
from ._schema import ENUMS, RequestRejectedError

__all__ = [
    "STEERS",
    "TERMINAL",
    "CallPlan",
    "MockClock",
    "Progress",
    "Steer",
    "cancel",
    "catch_up",
    "enqueue",
    "max_attempts",
    "refresh_campaign",
]

RESULTS = frozenset(ENUMS["Result"])
"""Attempt results: a fate that answers the call."""
DIAL_ERRORS = frozenset(ENUMS["DialError"])
"""Dial errors: a fate that never connects."""
OUTCOMES = frozenset(ENUMS["Outcome"])
TERMINAL = frozenset({"completed", "cancelled", "errored"})
"""Call statuses that end a call's life."""


def _rate(instance: Any, attribute: Any, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} is a share between 0 and 1, not {value!r}")


def _fates(instance: Any, attribute: Any, value: Mapping[str, str | Sequence[str]]) -> None:
    for number, fates in value.items():
        for fate in (fates,) if isinstance(fates, str) else fates:
            if fate not in RESULTS | DIAL_ERRORS:
                raise ValueError(
                    f"by_number[{number!r}]: {fate!r} is neither a result nor a dial error"
                )


def _outcome(instance: Any, attribute: Any, value: str | None) -> None:
    if value is not None and value not in OUTCOMES:
        raise ValueError(f"outcome: {value!r} is not one of {sorted(OUTCOMES)}")


@attrs.frozen(kw_only=True)
class CallPlan:
    """How the mock's calls go: seeded, so the same test sees the same calls.

    ::

        mock.call_plan = CallPlan(by_number={"+33600000001": "voicemail",
                                             "+33600000002": ("busy", "human")})

    * ``by_number``: each attempt's fate for a number, a `RESULTS` value (the
      call connects: ``"human"``, ``"voicemail"``, ``"IVR"``...) or a
      `DIAL_ERRORS` value (the attempt fails: ``"busy"``, ``"no_answer"``...).
      A sequence gives the fates of the 1st, 2nd... attempts, the last repeating.
    * other numbers draw from ``seed``: ``error_rate`` of attempts fail with
      ``dial_error``, ``voicemail_rate`` reach voicemail, the rest a human.
      The draw depends on (seed, number, attempt), not on request order.
    * ``outcome`` (or ``outcomes[number]``): the call's outcome when a human answered.
    * Timing in mock seconds: ``queue_delay`` queued before dialling,
      ``ring`` ringing, ``duration`` of a connected attempt,
      ``post_processing`` after it; ``retry_delay`` between attempts (``None``:
      the call's ``calling_windows[0].retry_delay_seconds``, else 7200).
    """

    seed: int = 0
    error_rate: float = attrs.field(default=0.0, validator=_rate)
    voicemail_rate: float = attrs.field(default=0.0, validator=_rate)
    dial_error: str = attrs.field(default="no_answer", validator=attrs.validators.in_(DIAL_ERRORS))
    by_number: Mapping[str, str | Sequence[str]] = attrs.field(factory=dict, validator=_fates)
    outcome: str | None = attrs.field(default="interested", validator=_outcome)
    outcomes: Mapping[str, str | None] = attrs.field(factory=dict)
    queue_delay: float = 2.0
    ring: float = 3.0
    duration: float = 30.0
    post_processing: float = 2.0
    retry_delay: float | None = None

    def fate(self, number: str, attempt: int) -> str:
        """What attempt ``attempt`` (0 for the first) to ``number`` meets."""
        planned = self.by_number.get(number)
        if isinstance(planned, str):
            return planned
        if planned:
            return planned[min(attempt, len(planned) - 1)]
        draw = random.Random(f"{self.seed}:{number}:{attempt}").random()
        if draw < self.error_rate:
            return self.dial_error
        if draw < self.error_rate + self.voicemail_rate:
            return "voicemail"
        return "human"

    def outcome_for(self, number: str) -> str | None:
        return self.outcomes.get(number, self.outcome)


class MockClock:
    """Mock time: moved by `advance`, and by ``time_scale`` mock seconds per real second."""

    def __init__(self, time_scale: float = 0.0) -> None:
        self._base = datetime.now(UTC).replace(microsecond=0)
        self._anchor = time.monotonic()
        self._scale = 0.0
        self.time_scale = time_scale

    def now(self) -> datetime:
        return self._base + timedelta(seconds=(time.monotonic() - self._anchor) * self._scale)

    def advance(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ValueError(f"time only moves forward: advance({seconds!r})")
        self._rebase(self.now() + timedelta(seconds=seconds))

    @property
    def time_scale(self) -> float:
        return self._scale

    @time_scale.setter
    def time_scale(self, scale: float) -> None:
        if not scale >= 0:
            raise ValueError(f"time_scale is mock seconds per real second, >= 0, not {scale!r}")
        self._rebase(self.now())
        self._scale = float(scale)

    def _rebase(self, moment: datetime) -> None:
        self._base = moment
        self._anchor = time.monotonic()


Step = Literal[
    "not_launched", "scheduled", "queued", "ringing", "ongoing", "post_processing", "paused", "done"
]
Hold = Literal["pause", "cancel"]


@attrs.define
class Progress:
    """Where a call is in its life; kept beside the wire object, never answered."""

    step: Step
    due: datetime | None = None
    fate: str = "human"
    hold: Hold | None = None
    """Set while an attempt runs: what to do instead of the next attempt."""

    @property
    def in_attempt(self) -> bool:
        return self.step in ("ringing", "ongoing", "post_processing")


def finish(call: dict[str, Any], progress: Progress, status: str, at: datetime) -> None:
    """A terminal status: completed, cancelled or errored."""
    set_status(call, status, at)
    progress.step, progress.due, progress.hold = "done", None, None


def set_status(call: dict[str, Any], status: str, at: datetime) -> None:
    call.update(
        status=status,
        is_completed=status == "completed",
        is_cancelled=status == "cancelled",
        updated_at=iso(at),
    )


def refresh_campaign(campaign: dict[str, Any], calls: list[dict[str, Any]], at: datetime) -> None:
    """``completed`` once rows were launched and every launched row's call is terminal."""
    if campaign.get("status") == "paused":
        return
    launched = [call for call in calls if call.get("status") != "not_launched"]
    done = bool(launched) and all(call.get("status") in TERMINAL for call in launched)
    status = "completed" if done else "running"
    if campaign.get("status") != status:
        campaign.update(status=status, updated_at=iso(at))


def enqueue(
    call: dict[str, Any],
    progress: Progress,
    at: datetime,
    plan: CallPlan,
    scheduled_at: datetime | None = None,
) -> None:
    """Into the queue now, or ``scheduled`` until a later ``scheduled_at``."""
    progress.hold = None
    if scheduled_at is not None and scheduled_at > at:
        set_status(call, "scheduled", at)
        call["scheduled_at"] = iso(scheduled_at)
        progress.step, progress.due = "scheduled", scheduled_at
        return
    call["scheduled_at"] = iso(at)
    _queued(call, progress, at, plan)


def catch_up(call: dict[str, Any], progress: Progress, until: datetime, plan: CallPlan) -> None:
    """Apply every step due by ``until``, each at its own due time."""
    while progress.due is not None and progress.due <= until:
        _STEPS[progress.step](call, progress, progress.due, plan)


def _queued(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    set_status(call, "queued_for_calling", at)
    progress.step, progress.due = "queued", at + timedelta(seconds=plan.queue_delay)


def _dial(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    progress.fate = plan.fate(call["to_phone_number"], len(call["call_attempts"]))
    assistant = call.get("assistant") or {}
    attempt: dict[str, Any] = {
        "id": new_id("attempt"),
        "status": "ringing",
        "phone_number": call["to_phone_number"],
        "started_at": iso(at),
        "answered_at": None,
        "ended_at": None,
        "result": None,
        "dial_error": None,
        "ended_by": None,
        "end_reason": None,
        "handled_by_ai": True,
        "handled_by_human": False,
        "handled_by_user": None,
        "recording_url": None,
        "transcript": None,
        "post_call_transcript": None,
        "structured_output": None,
        "assistants_used": [assistant["id"]] if "id" in assistant else [],
        "email_log": [],
        "sms_log": [],
        "speech_events": [],
    }
    call["call_attempts"].insert(0, attempt)
    call["last_call_attempt"] = attempt
    call["calls_count"] = len(call["call_attempts"])
    set_status(call, "calling", at)
    progress.step, progress.due = "ringing", at + timedelta(seconds=plan.ring)


def _answer(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    attempt = call["call_attempts"][0]
    if progress.fate in DIAL_ERRORS:
        attempt.update(
            status="error", dial_error=progress.fate, ended_at=iso(at), ended_by="system"
        )
        _after_attempt(call, progress, at, plan)
        return
    attempt.update(
        status="ongoing", answered_at=iso(at), transcript=_transcript(call, progress.fate)[:1]
    )
    call["updated_at"] = iso(at)
    progress.step, progress.due = "ongoing", at + timedelta(seconds=plan.duration)


def _hang_up(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    voicemail = progress.fate == "voicemail"
    call["call_attempts"][0].update(
        status="completed",
        result=progress.fate,
        ended_at=iso(at),
        ended_by="agent",
        end_reason="voicemail" if voicemail else "tool_end_call",
        transcript=_transcript(call, progress.fate),
    )
    set_status(call, "post_processing", at)
    progress.step, progress.due = "post_processing", at + timedelta(seconds=plan.post_processing)


def _processed(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    attempt = call["call_attempts"][0]
    attempt.update(
        post_call_transcript=_transcript(call, progress.fate),
        recording_url=f"https://recordings.mock-revox.invalid/{attempt['id']}.wav",
    )
    if progress.fate == "human":
        attempt["structured_output"] = _structured_output(call, at)
    _after_attempt(call, progress, at, plan)


def _after_attempt(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    """A human ends the call; anything else is retried while attempts remain."""
    number = call["to_phone_number"]
    if progress.fate == "human":
        outcome = plan.outcome_for(number)
        call.update(outcome=outcome, outcome_summary=_summary(outcome))
        finish(call, progress, "completed", at)
        return
    if progress.hold == "cancel":
        finish(call, progress, "cancelled", at)
    elif len(call["call_attempts"]) >= max_attempts(call):
        failed = progress.fate in DIAL_ERRORS
        call.update(outcome=None, outcome_summary=None if failed else f"Reached {progress.fate}.")
        finish(call, progress, "errored" if failed else "completed", at)
    elif progress.hold == "pause":
        set_status(call, "paused", at)
        progress.step, progress.due, progress.hold = "paused", None, None
    else:
        enqueue(call, progress, at, plan, at + timedelta(seconds=_retry_delay(call, plan)))


def max_attempts(call: Mapping[str, Any]) -> int:
    """The first attempt plus ``call_retry_config.max_retry_attempts`` retries (3 by default)."""
    config = call.get("call_retry_config") or {}
    retries = config.get("max_retry_attempts", 3)
    return 1 + (retries if isinstance(retries, int) else 3)


def _retry_delay(call: Mapping[str, Any], plan: CallPlan) -> float:
    if plan.retry_delay is not None:
        return plan.retry_delay
    windows = (call.get("call_retry_config") or {}).get("calling_windows") or [{}]
    delay = windows[0].get("retry_delay_seconds", 7200)
    return float(delay) if isinstance(delay, (int, float)) else 7200.0


_STEPS: dict[str, Callable[[dict[str, Any], Progress, datetime, CallPlan], None]] = {
    "scheduled": _queued,
    "queued": _dial,
    "ringing": _answer,
    "ongoing": _hang_up,
    "post_processing": _processed,
}


def _transcript(call: Mapping[str, Any], fate: str) -> list[dict[str, Any]]:
    assistant = call.get("assistant") or {}
    greeting = assistant.get("first_sentence") or "Hello, this is Revox calling."
    if fate == "voicemail":
        message = assistant.get("voicemail_message") or "Sorry I missed you, I will call back."
        return [{"role": "assistant", "content": message}]
    if fate != "human":
        return [{"role": "user", "content": "Press 1 for sales, 2 for support."}]
    return [
        {"role": "assistant", "content": greeting},
        {"role": "user", "content": "Hi, yes, I have a minute."},
        {"role": "assistant", "content": "Thank you. Shall I send you the details?"},
        {"role": "user", "content": "Yes please, that sounds good."},
    ]


def _summary(outcome: str | None) -> str | None:
    if outcome is None:
        return None
    return f"The contact was reached; outcome: {outcome.replace('_', ' ')}."


def _structured_output(call: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    """A plausible value for each field of the assistant's ``structured_output_config``."""
    assistant = call.get("assistant") or {}
    samples: dict[str, Any] = {
        "string": "sample",
        "number": 1,
        "boolean": True,
        "date": at.date().isoformat(),
        "datetime": iso(at),
    }
    values: dict[str, Any] = {}
    for spec in assistant.get("structured_output_config") or ():
        if isinstance(spec, Mapping) and isinstance(spec.get("name"), str):
            options = spec.get("enum_options") or [None]
            kind = spec.get("type")
            values[spec["name"]] = options[0] if kind == "enum" else samples.get(str(kind))
    return values


def pause(call: dict[str, Any], progress: Progress, at: datetime) -> None:
    """No new attempt: a waiting call is ``paused`` now, a running attempt finishes first."""
    if progress.step in ("scheduled", "queued"):
        set_status(call, "paused", at)
        progress.step, progress.due = "paused", None
    elif progress.in_attempt:
        progress.hold = "pause"
    elif progress.step != "paused":
        raise RequestRejectedError("id", f"a {call['status']} call cannot be paused", 409)


def resume(call: dict[str, Any], progress: Progress, at: datetime, plan: CallPlan) -> None:
    """A paused call goes back in line: ``scheduled`` again if its time (a ``scheduled_at``
    asked for, or a retry's) is still to come, else queued now. A pending pause is withdrawn."""
    if progress.step == "paused":
        planned = call.get("scheduled_at")
        enqueue(call, progress, at, plan, parse_iso(planned) if isinstance(planned, str) else None)
    elif progress.in_attempt and progress.hold == "pause":
        progress.hold = None
    else:
        raise RequestRejectedError("id", f"a {call['status']} call is not paused", 409)


def cancel(call: dict[str, Any], progress: Progress, at: datetime, *, hang_up: bool = True) -> None:
    """``cancelled`` now, ending a running attempt (or, ``hang_up=False``, after it)."""
    if progress.step == "done":
        raise RequestRejectedError("id", f"a {call['status']} call cannot be cancelled", 409)
    if progress.in_attempt and not hang_up:
        progress.hold = "cancel"
        return
    if progress.step in ("ringing", "ongoing"):
        call["call_attempts"][0].update(
            status="completed", ended_at=iso(at), ended_by="system", end_reason="client_initiated"
        )
    finish(call, progress, "cancelled", at)


Steer = Callable[[dict[str, Any], Progress, datetime, CallPlan], None]
STEERS: dict[str, Steer] = {
    "cancel": lambda call, progress, at, plan: cancel(call, progress, at),
    "pause": lambda call, progress, at, plan: pause(call, progress, at),
    "resume": resume,
}
"""What ``POST /call/{id}/<action>`` does to the call, by action."""
