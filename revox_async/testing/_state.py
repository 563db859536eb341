"""`MockState`: what the mock's route modules read and change, and nothing else.

The server owns one state and hands it to every route module; the objects a
test reads and seeds (``mock.assistants``, ``mock.calls``...) and the
switches it flips (``mock.drift``...) are this state's attributes. The
request pipeline (auth, faults, the request log, idempotency) stays in the
server: a route module never sees it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._catalog import seed_phone_numbers, seed_user, seed_voices
from ._lifecycle import (
    CallPlan,
    MockClock,
    Progress,
    catch_up,
    enqueue,
    refresh_campaign,
    set_status,
)
from ._schema import Extra
from ._webhooks import WebhookSender

__all__ = ["DRIFT_ENUMS", "MockState"]

DRIFT_ENUMS: Mapping[str, frozenset[str]] = {
    "FirstSentenceMode": frozenset({"adaptive"}),
    "BackgroundSound": frozenset({"audio/street.ogg"}),
    "SttModel": frozenset({"stt-rt-v6"}),
    "CallStatus": frozenset({"voicemail_detected"}),
    "CartesiaModel": frozenset({"sonic-4"}),
}
"""Enum values the drifted (newer) server knows, so it accepts back what it sends."""


class MockState:
    """The stored objects, the mock clock and the switches, behind one lock."""

    def __init__(self, **switches: Any) -> None:
        self.lock = threading.RLock()
        """Held by each handler and by `advance`: the test thread and the server's meet here."""
        self.assistants: dict[str, dict[str, Any]] = {}
        self.calls: dict[str, dict[str, Any]] = {}
        self.campaigns: dict[str, dict[str, Any]] = {}
        self.campaign_rows: dict[str, list[dict[str, Any]]] = {}
        self.voices: dict[str, dict[str, Any]] = {}
        self.phone_numbers: dict[str, dict[str, Any]] = {}
        self.user: dict[str, Any] = {}
        self.progress: dict[str, Progress] = {}
        """Each call's step in its life, by call id (a call seeded without one stays still)."""
        self.webhooks = WebhookSender()
        self.reset(**switches)

    def reset(
        self,
        *,
        time_scale: float = 0.0,
        call_plan: CallPlan | None = None,
        drift: bool = False,
        odd_values: bool | Mapping[str, Any] = False,
        unpatched_calls_notice: Mapping[str, Any] | None = None,
    ) -> None:
        """Nothing stored but the seeded voices, phone numbers and user; these switches.

        The dicts are emptied in place, not replaced: a test may hold one.
        """
        with self.lock:
            self.clock = MockClock(time_scale)
            stores = (self.assistants, self.calls, self.campaigns, self.campaign_rows)
            for store in (*stores, self.progress, self.voices, self.phone_numbers, self.user):
                store.clear()
            self.voices.update(seed_voices())
            self.phone_numbers.update(seed_phone_numbers(self.clock.now()))
            self.user.update(seed_user(self.clock.now()))
            self.call_plan = call_plan or CallPlan()
            self.drift = drift
            self.odd_values = odd_values
            self.unpatched_calls_notice = unpatched_calls_notice
            self.webhooks.reset()

    # -- switches ----------------------------------------------------------------

    @property
    def odd_values(self) -> bool | Mapping[str, Any]:
        return self._odd_values

    @odd_values.setter
    def odd_values(self, values: bool | Mapping[str, Any]) -> None:
        if isinstance(values, Mapping):
            if not all(isinstance(path, str) and path for path in values):
                raise TypeError("odd_values keys are dotted paths, e.g. 'voice.speed'")
            values = dict(values)
        elif not isinstance(values, bool):
            raise TypeError("odd_values is True, False or a mapping {dotted path: raw value}")
        self._odd_values: bool | Mapping[str, Any] = values

    @property
    def unpatched_calls_notice(self) -> Mapping[str, Any] | None:
        return self._unpatched_calls_notice

    @unpatched_calls_notice.setter
    def unpatched_calls_notice(self, notice: Mapping[str, Any] | None) -> None:
        if notice is not None and not isinstance(notice, Mapping):
            raise TypeError('unpatched_calls_notice is None or {"count": …, "variables": […]}')
        self._unpatched_calls_notice = None if notice is None else dict(notice)

    @property
    def extra_enums(self) -> Extra:
        """The enum values a request may carry beyond the documented ones (drift's)."""
        return DRIFT_ENUMS if self.drift else {}

    # -- time --------------------------------------------------------------------

    def now(self) -> datetime:
        """The mock's current time; every call's life is brought up to it first."""
        with self.lock:
            return self.catch_up()

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.clock.advance(seconds)
            self.catch_up()

    @property
    def time_scale(self) -> float:
        return self.clock.time_scale

    @time_scale.setter
    def time_scale(self, scale: float) -> None:
        with self.lock:
            self.catch_up()
            self.clock.time_scale = scale

    def catch_up(self) -> datetime:
        """Apply every step due by now, then the campaign statuses that follow from them,
        then start the webhooks of the calls that ended. Call it holding `lock`."""
        now = self.clock.now()
        for call_id, progress in list(self.progress.items()):
            call = self.calls.get(call_id)
            if call is None:
                del self.progress[call_id]
            else:
                catch_up(call, progress, now, self.call_plan)
        for campaign_id, campaign in self.campaigns.items():
            refresh_campaign(campaign, self.campaign_calls(campaign_id), now)
        self.sweep_webhooks()
        return now

    def sweep_webhooks(self) -> None:
        """Start the webhook of each call seen running that has ended since."""
        self.webhooks.sweep(self.calls, self.progress, self.drift)

    # -- calls -------------------------------------------------------------------

    def add_call(
        self,
        call: dict[str, Any],
        at: datetime,
        *,
        launch: bool = True,
        scheduled_at: datetime | None = None,
    ) -> None:
        """Store a new call, queued (not before ``scheduled_at``), or, ``launch=False``,
        ``not_launched`` until its campaign launches it."""
        progress = Progress(step="not_launched")
        self.calls[call["id"]] = call
        self.progress[call["id"]] = progress
        if launch:
            enqueue(call, progress, at, self.call_plan, scheduled_at)
        else:
            set_status(call, "not_launched", at)

    def progress_of(self, call_id: str) -> Progress:
        """The stored call's step; a call seeded without one is ``done``."""
        return self.progress.setdefault(call_id, Progress(step="done"))

    def campaign_calls(self, campaign_id: str) -> list[dict[str, Any]]:
        rows = self.campaign_rows.get(campaign_id, ())
        return [self.calls[row["call_id"]] for row in rows if row["call_id"] in self.calls]

    def caller_id(self, assistant: Mapping[str, Any]) -> str:
        """The number a call is placed from: the assistant's, else the first owned number."""
        chosen = assistant.get("from_phone_number")
        if isinstance(chosen, str):
            return chosen
        owned = [n for n in self.phone_numbers.values() if n.get("type") == "owned_number"]
        return str(owned[0]["phone_number"]) if owned else "+14155550100"
