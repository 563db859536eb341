"""The mock's campaign endpoints: rows of calls launched together, and their numbers.

Each contact becomes a row whose call waits ``not_launched`` in
``mock.calls`` (with ``campaign`` set, so search finds it) until
``launch-calls`` queues it; from there it lives like any call.
"""

from __future__ import annotations

import contextlib
import copy
import json
import statistics
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from ._calls import CSV_COLUMNS, last_result, matches, new_call, present_call
from ._common import JSON, ORGANIZATION_ID, Routes, csv_text, find, iso, member, new_id, parse_iso
from ._common import with_retry_defaults as _retry
from ._lifecycle import STEERS, TERMINAL, Steer, cancel, enqueue, max_attempts, refresh_campaign
from ._schema import (
    CAMPAIGN_CREATE,
    CAMPAIGN_UPDATE,
    LAUNCH,
    RequestRejectedError,
    validate_body,
)

__all__ = ["CampaignRoutes"]

HOT_OUTCOMES = ("interested",)
"""Outcomes that make a lead hot (``funnel_stats.hot``, ``hot_lead_outcomes``)."""
_WAITING = frozenset({"initializing", "queued_for_calling", "paused"})
_LABELS = {
    "interested": "Interested",
    "not_interested": "Not interested",
    "requested_callback_later": "Callback requested",
    "completed": "Completed",
}


_STEERS: dict[str, tuple[Steer, dict[str, Any]]] = {
    "cancel": (
        lambda call, progress, at, plan: cancel(call, progress, at, hang_up=False),
        {"is_cancelled": True},
    ),
    "pause": (STEERS["pause"], {"status": "paused"}),
    "resume": (STEERS["resume"], {"status": "running"}),
}
"""What ``POST /campaigns/{id}/<action>`` does to each open call, then to the campaign."""


def row_stats(calls: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Rows by where their call is; ``retry`` is a call scheduled after an attempt."""
    stats = dict.fromkeys(
        ("total", "not_launched", "pending", "calling", "retry", "completed", "failed", "skipped"),
        0,
    )
    for call in calls:
        status = call.get("status")
        stats["total"] += 1
        if status == "scheduled":
            stats["retry" if call.get("call_attempts") else "pending"] += 1
        elif status in _WAITING:
            stats["pending"] += 1
        else:
            bucket = {
                "not_launched": "not_launched",
                "calling": "calling",
                "post_processing": "calling",
                "completed": "completed",
                "errored": "failed",
                "cancelled": "skipped",
            }.get(str(status))
            if bucket is not None:
                stats[bucket] += 1
    return stats


def _phones(calls: Iterable[Mapping[str, Any]], test: Callable[[Mapping[str, Any]], bool]) -> int:
    """Distinct numbers among the calls that pass ``test``."""
    return len({call.get("to_phone_number") for call in calls if test(call)})


def _reached(call: Mapping[str, Any]) -> bool:
    return any(a.get("result") == "human" for a in call.get("call_attempts") or ())


def _hot(call: Mapping[str, Any]) -> bool:
    return call.get("outcome") in HOT_OUTCOMES


def funnel_stats(calls: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "total_leads": _phones(calls, lambda call: True),
        "talked_to_human": _phones(calls, _reached),
        "hot": _phones(calls, _hot),
    }


def _has_outcome(outcome: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda call: call.get("outcome") == outcome


def _pct(part: int, whole: int) -> float | None:
    """A percentage to one decimal, or ``None`` when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def _attempt_times(calls: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted(
        str(stamp)
        for call in calls
        for attempt in call.get("call_attempts") or ()
        for stamp in (attempt.get("started_at"), attempt.get("ended_at"))
        if stamp
    )


def _lead(call: Mapping[str, Any]) -> dict[str, Any]:
    variables = call.get("prompt_variables") or {}
    full_name = " ".join(filter(None, (variables.get("first_name"), variables.get("last_name"))))
    attempts = call.get("call_attempts") or []
    return {
        "call_id": call["id"],
        "attempt_id": attempts[0]["id"] if attempts else None,
        "name": variables.get("name") or full_name or call["to_phone_number"],
        "phone": call["to_phone_number"],
        "email": variables.get("email"),
        "direction": call.get("direction", "outbound"),
        "last_activity_at": call.get("updated_at"),
        "summary": call.get("outcome_summary"),
    }


def campaign_statistics(campaign: Mapping[str, Any], calls: list[dict[str, Any]]) -> dict[str, Any]:
    """A campaign's Statistics from the rows' calls: counts over distinct numbers, % of 100."""
    called = _phones(calls, lambda call: bool(call.get("call_attempts")))
    reached = _phones(calls, _reached)
    exchanges = _phones(calls, lambda call: _reached(call) and call.get("outcome") is not None)
    hot = _phones(calls, _hot)
    attempts = sum(len(call.get("call_attempts") or ()) for call in calls)
    times = _attempt_times(calls)
    assistant = campaign.get("assistant") or {}
    fields = [
        spec["name"]
        for spec in assistant.get("structured_output_config") or ()
        if isinstance(spec, Mapping) and isinstance(spec.get("name"), str)
    ]
    config = campaign.get("call_retry_config") or {}
    return {
        "campaign": {
            "id": campaign["id"],
            "name": campaign["name"],
            "status": campaign["status"],
            "is_cancelled": campaign["is_cancelled"],
            "timezone": config.get("timezone") or "UTC",
            "has_activity": bool(times),
            "first_activity_at": times[0] if times else None,
            "last_activity_at": times[-1] if times else None,
            "agent_name": assistant.get("name"),
            "max_attempts_per_contact": max_attempts(campaign),
        },
        "funnel": {
            "called": {"count": called, "imported_rows": len(calls)},
            "reached": {
                "count": reached,
                "inbound": 0,
                "outbound": reached,
                "overlap": 0,
                "pct_of_called": _pct(reached, called),
            },
            "real_exchanges": {"count": exchanges, "pct_of_reached": _pct(exchanges, reached)},
            "hot_leads": {"count": hot, "pct_of_reached": _pct(hot, reached)},
        },
        "effort": {"calls_total": attempts, "outbound_attempts": attempts, "inbound_calls": 0},
        "inbound": {"unique_callers": 0},
        "jump_in": {
            "joined_calls": 0,
            "median_time_to_join_seconds": None,
            "median_conversation_seconds": _median_conversation(calls),
        },
        "leads": {
            "interested": [_lead(c) for c in calls if c.get("outcome") == "interested"],
            "callback_requested": [
                _lead(c) for c in calls if c.get("outcome") == "requested_callback_later"
            ],
        },
        "outcome_breakdown": [
            {"outcome": outcome, "label": label, "count": _phones(calls, _has_outcome(outcome))}
            for outcome, label in _LABELS.items()
        ],
        "hot_lead_outcomes": list(HOT_OUTCOMES),
        "data_extraction": (
            {"intro": "Fields the assistant extracts from each call.", "fields": fields}
            if fields
            else None
        ),
    }


def _median_conversation(calls: Iterable[Mapping[str, Any]]) -> float | None:
    seconds = [
        (parse_iso(a["ended_at"]) - parse_iso(a["answered_at"])).total_seconds()
        for call in calls
        for a in call.get("call_attempts") or ()
        if a.get("answered_at") and a.get("ended_at")
    ]
    return statistics.median(seconds) if seconds else None


class CampaignRoutes(Routes):
    """``/campaigns`` and ``/campaigns/{id}[/...]``: the 12 campaign endpoints."""

    def add_to(self, app: web.Application) -> None:
        add = app.router
        add.add_post("/api/campaigns", self._create)
        add.add_get("/api/campaigns", self._list)
        add.add_get("/api/campaigns/{id}", self._retrieve)
        add.add_patch("/api/campaigns/{id}", self._update)
        add.add_delete("/api/campaigns/{id}", self._delete)
        add.add_post("/api/campaigns/{id}/{action:cancel|pause|resume}", self._steer)
        add.add_post("/api/campaigns/{id}/launch-calls", self._launch)
        add.add_get("/api/campaigns/{id}/rows", self._rows)
        add.add_get("/api/campaigns/{id}/export", self._export)
        add.add_get("/api/campaigns/{id}/statistics", self._statistics)

    # -- reading ---------------------------------------------------------------

    def _find(self, request: web.Request) -> dict[str, Any]:
        return find(self._state.campaigns, request.match_info["id"], "campaign")

    def _calls(self, campaign: Mapping[str, Any]) -> list[dict[str, Any]]:
        return self._state.campaign_calls(campaign["id"])

    def _show(self, campaign: Mapping[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(dict(campaign))
        calls = self._calls(campaign)
        shown["row_stats"] = row_stats(calls)
        shown["funnel_stats"] = funnel_stats(calls)
        if self._state.drift:
            shown["channel"] = "voice"
            shown["row_stats"]["voicemail"] = sum(last_result(c) == "voicemail" for c in calls)
        return shown

    async def _retrieve(self, request: web.Request) -> web.Response:
        return web.json_response({"campaign": self._show(self._find(request))})

    async def _list(self, request: web.Request) -> web.Response:
        shown = [self._show(c) for c in self._state.campaigns.values()]
        return web.json_response({"campaigns": shown})

    async def _rows(self, request: web.Request) -> web.Response:
        campaign = self._find(request)
        calls = self._state.calls
        drift = self._state.drift
        rows = [
            {
                **{k: copy.deepcopy(v) for k, v in row.items() if k != "call_id"},
                "call": present_call(calls[row["call_id"]], drift=drift)
                if row["call_id"] in calls
                else None,
            }
            for row in self._state.campaign_rows.get(campaign["id"], ())
        ]
        return web.json_response({"rows": rows})

    async def _export(self, request: web.Request) -> web.Response:
        """The rows as CSV (inside JSON): input columns, then what became of each call."""
        campaign = self._find(request)
        rows = self._state.campaign_rows.get(campaign["id"], [])
        keys = sorted({key for row in rows for key in row["input_data"]})
        columns = ("status", "calls_count", "result", "outcome", "outcome_summary")
        calls = self._state.calls
        table = [
            [
                row["row_index"],
                row["phone_number"],
                *(row["input_data"].get(key) for key in keys),
                *(CSV_COLUMNS[column](calls.get(row["call_id"], {})) for column in columns),
            ]
            for row in rows
        ]
        header = ["row_index", "phone_number", *keys, *columns]
        filename = f"campaign-{campaign['id']}.csv"
        return web.json_response({"csv": csv_text(header, table), "filename": filename})

    async def _statistics(self, request: web.Request) -> web.Response:
        campaign = self._find(request)
        return web.json_response(
            {"statistics": campaign_statistics(campaign, self._calls(campaign))}
        )

    # -- writing ---------------------------------------------------------------

    async def _create(self, request: web.Request) -> web.Response:
        state = self._state
        body = validate_body(request[JSON], CAMPAIGN_CREATE, state.extra_enums)
        assistant = find(state.assistants, body["assistant_id"], "assistant", "assistant_id")
        at = state.now()
        retry = body.get("call_retry_config")
        campaign: dict[str, Any] = {
            "id": str(uuid.uuid4()),  # the schema gives campaign ids the format uuid
            "organization_id": ORGANIZATION_ID,
            "name": body["name"],
            "assistant_id": assistant["id"],
            "status": "running",
            "is_cancelled": False,
            "created_at": iso(at),
            "updated_at": iso(at),
            "scheduled_at": None,
            "assistant": copy.deepcopy(assistant),
            "call_retry_config": _retry(retry) if retry else assistant.get("call_retry_config"),
            "created_by": member(),
            "from_phone_number": body.get("from_phone_number"),
            "max_concurrent_calls": body.get("max_concurrent_calls"),
            "metadata_keys": [],
            "structured_output_extraction": "none",
        }
        state.campaigns[campaign["id"]] = campaign
        state.campaign_rows[campaign["id"]] = [
            self._row(campaign, index, contact, at)
            for index, contact in enumerate(body["contacts"])
        ]
        return web.json_response({"campaign": self._show(campaign)}, status=201)

    def _row(
        self, campaign: Mapping[str, Any], index: int, contact: Mapping[str, Any], at: datetime
    ) -> dict[str, Any]:
        """A row and its ``not_launched`` call, stored in ``mock.calls``."""
        state = self._state
        variables = {
            key: value if isinstance(value, str) else json.dumps(value)
            for key, value in contact["prompt_variables"].items()
        }
        call = new_call(
            to_phone_number=contact["to_phone_number"],
            from_phone_number=campaign["from_phone_number"]
            or state.caller_id(campaign["assistant"]),
            assistant=campaign["assistant"],
            at=at,
            campaign={"id": campaign["id"], "name": campaign["name"]},
            call_retry_config=campaign["call_retry_config"],
            prompt_variables=variables,
        )
        state.add_call(call, at, launch=False)
        return {
            "id": new_id("row"),
            "row_index": index,
            "phone_number": contact["to_phone_number"],
            "input_data": variables,
            "call_id": call["id"],
        }

    async def _update(self, request: web.Request) -> web.Response:
        """Name, caller number, concurrency and retry config; the rows' open calls follow."""
        state = self._state
        campaign = self._find(request)
        body = validate_body(request[JSON], CAMPAIGN_UPDATE, state.extra_enums)
        if body.get("assistant_id", campaign["assistant_id"]) != campaign["assistant_id"]:
            raise RequestRejectedError("assistant_id", "a campaign's assistant cannot change", 422)
        at = state.now()
        for key in ("name", "from_phone_number", "max_concurrent_calls"):
            if key in body:
                campaign[key] = body[key]
        if "call_retry_config" in body:
            retry = body["call_retry_config"]
            campaign["call_retry_config"] = (
                _retry(retry) if retry else campaign["assistant"].get("call_retry_config")
            )
        campaign["updated_at"] = iso(at)
        for call in self._calls(campaign):
            call["campaign"] = {"id": campaign["id"], "name": campaign["name"]}
            if call["status"] not in TERMINAL:
                call["call_retry_config"] = copy.deepcopy(campaign["call_retry_config"])
                call["from_phone_number"] = campaign["from_phone_number"] or state.caller_id(
                    campaign["assistant"]
                )
        return web.json_response({"campaign": self._show(campaign)})

    async def _delete(self, request: web.Request) -> web.Response:
        """The campaign, its rows and their calls are gone."""
        state = self._state
        campaign = self._find(request)
        for row in state.campaign_rows.pop(campaign["id"], []):
            state.calls.pop(row["call_id"], None)
            state.progress.pop(row["call_id"], None)
        del state.campaigns[campaign["id"]]
        return web.json_response({"success": True})

    async def _steer(self, request: web.Request) -> web.Response:
        """``cancel``: waiting calls are cancelled now; an attempt underway finishes, and no
        other follows. ``pause`` (``paused``): launched calls stop before their next attempt.
        ``resume`` (back to ``running``): paused calls return to the queue. A call the change
        does not apply to (one not launched, or not paused) is left as it is."""
        campaign = self._find(request)
        action = request.match_info["action"]
        apply, changes = _STEERS[action]
        at = self._state.now()
        for call in self._calls(campaign):
            progress = self._state.progress.get(call["id"])
            if progress is not None and progress.step != "done":
                with contextlib.suppress(RequestRejectedError):
                    apply(call, progress, at, self._state.call_plan)
        campaign.update(changes, updated_at=iso(at))
        if action == "resume":
            refresh_campaign(campaign, self._calls(campaign), at)
        return web.json_response({"success": True})

    async def _launch(self, request: web.Request) -> web.Response:
        """Queue the selected ``not_launched`` (or paused) rows; count the ones skipped."""
        state = self._state
        campaign = self._find(request)
        body = validate_body(request[JSON], LAUNCH, state.extra_enums)
        at = state.now()
        scheduled = body.get("scheduled_at")
        when = parse_iso(scheduled) if scheduled is not None else None
        selection = body["selection"]
        listed = set(selection["rows"]["call_ids"])
        only = selection["rows"]["mode"] == "only"
        skipped = {"active": 0, "attempts_exhausted": 0, "cancelled": 0}
        launched: list[str] = []
        for call in self._calls(campaign):
            if (call["id"] in listed) != only or not matches(call, selection["filters"]):
                continue
            progress = state.progress_of(call["id"])
            if progress.step in ("not_launched", "paused"):
                enqueue(call, progress, at, state.call_plan, when)
                launched.append(call["id"])
            elif call["status"] == "cancelled":
                skipped["cancelled"] += 1
            elif call["status"] in TERMINAL:
                skipped["attempts_exhausted"] += 1
            else:
                skipped["active"] += 1
        if launched:
            campaign.update(status="running", updated_at=iso(at))
            if when is not None:
                campaign["scheduled_at"] = iso(when)
        session = None
        if body["mode"] == "speed_dial":
            session = {
                "id": new_id("session"),
                "campaign_id": campaign["id"],
                "status": "dialing" if launched else "completed",
                "created_at": iso(at),
                "ended_at": None if launched else iso(at),
                "total_targets": len(launched),
                "dialed_count": 0,
                "connected_count": 0,
                "current_call_id": launched[0] if launched else None,
                "in_flight_calls": [],
                "outcome_filter": [],
            }
        return web.json_response(
            {"launched": len(launched), "skipped": skipped, "session": session}
        )
