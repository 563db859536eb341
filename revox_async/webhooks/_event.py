"""The call-completion webhook: its event model and the parser of a raw body.

What the live service sends is known only from another public client of the
API (``call_order_id``, ``call_id``, ``status``, ``result``, ``annotation``,
``transcript``, ``recording_url``, ``started_at``, ``ended_at``,
``calls_count``); it is not signed and its fields will drift, so the event
follows the drift rules of every response model.
"""

# No ``from __future__ import annotations``: see revox_async/_models/shared.py.

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from revox_async._converter import response_converter
from revox_async._core import _NOT_PARSED, DEFAULT_MAX_RESPONSE_BYTES, _parse
from revox_async._exceptions import RevoxError
from revox_async._models._base import Model
from revox_async._models.calls import CallStatus, Result, Timestamp, TranscriptEntry

if TYPE_CHECKING:
    from revox_async import AsyncRevox, Call

__all__ = ["CallCompletedEvent", "WebhookPayloadError", "parse_webhook"]

Transcript = str | list[TranscriptEntry] | None


class WebhookPayloadError(RevoxError, ValueError):
    """A webhook body that is no event: not JSON, not a JSON object, or too large.

    ``reason`` says which, without the body (it may hold a transcript).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a Revox webhook event: {reason}")
        self.reason = reason


@attrs.define(kw_only=True)
class CallCompletedEvent(Model):
    """What Revox POSTs to a ``webhook_url`` when a call ends.

    Every field may be ``None``: the payload is undocumented, so an absent
    field or a value this SDK cannot read never fails the event (the raw
    value then waits in ``extra_fields``, next to every field it does not
    know). ``transcript`` is the text the service is seen to send, or a list
    of `TranscriptEntry` should it send the API's structured form;
    ``transcript_text`` reads either as text.

    ::

        event = parse_webhook(body)
        if event.result == "human":
            call = await event.call(client)      # the full Call, attempts and all
    """

    call_order_id: str | None = None
    """The call order: the ``id`` of the `Call` (what ``calls.retrieve`` takes)."""
    call_id: str | None = None
    """The call the event is about; on the mock, the latest attempt's id."""
    status: CallStatus | None = None
    result: Result | None = None
    """Who answered the latest attempt: ``human``, ``voicemail``, ``IVR``..."""
    annotation: str | None = None
    """A short summary of the call."""
    transcript: Transcript = None
    recording_url: str | None = None
    started_at: Timestamp = None
    ended_at: Timestamp = None
    calls_count: int | None = None
    """How many attempts the call order took."""

    @property
    def transcript_text(self) -> str:
        """The transcript as text, one ``role: content`` line per turn if it came
        structured; ``""`` without one."""
        if isinstance(self.transcript, str):
            return self.transcript
        return "\n".join(
            f"{entry.role or 'unknown'}: {entry.content or ''}" for entry in self.transcript or ()
        )

    async def call(self, client: "AsyncRevox") -> "Call":
        """Fetch the full `Call` the event is about (``calls.retrieve``)::

        call = await event.call(client)
        """
        call_id = self.call_order_id or self.call_id
        if not call_id:
            raise WebhookPayloadError("the event names no call (no call_order_id nor call_id)")
        return await client.calls.retrieve(call_id)


def _structure_transcript(value: object, _: object) -> object:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return response_converter.structure(value, list[TranscriptEntry])
    raise TypeError(f"expected a string or an array, got {type(value).__name__}")


response_converter.register_structure_hook(Transcript, _structure_transcript)
attrs.resolve_types(CallCompletedEvent)


def parse_webhook(
    body: bytes | bytearray | memoryview | str | Mapping[str, Any],
    *,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> CallCompletedEvent:
    """Read a webhook body (raw bytes or text, or JSON already parsed) into the event.

    Refuses, with `WebhookPayloadError`, a body over ``max_bytes`` (64 MiB,
    the client's cap on a response), one that is not JSON, and JSON that is
    not an object (a leading UTF-8 byte order mark is skipped). Anything
    inside an object is read leniently::

        event = parse_webhook(await request.read())
    """
    data: Any = body
    if isinstance(body, str):
        data = body.encode("utf-8", "surrogatepass")
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise WebhookPayloadError(f"the body is larger than max_bytes={max_bytes}")
        raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark, as some senders add
        if not raw.strip():
            raise WebhookPayloadError("the body is empty")
        data, why = _parse(raw)
        if data is _NOT_PARSED:
            raise WebhookPayloadError(f"the body is {why}")
    if not isinstance(data, Mapping):
        kind = "null" if data is None else type(data).__name__
        raise WebhookPayloadError(f"the body is JSON but not an object (got {kind})")
    return response_converter.structure(data, CallCompletedEvent)
