"""The mock's call endpoints: place, read, steer, search and export calls."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from ._assistants import new_assistant
from ._common import JSON, ORGANIZATION_ID, Routes, csv_text, find, iso, new_id, parse_iso
from ._lifecycle import STEERS, Progress
from ._schema import (
    CALL_CREATE,
    CALL_EXPORT,
    CALL_FILTER,
    RequestRejectedError,
    validate_body,
)

__all__ = ["CSV_COLUMNS", "CallRoutes", "last_result", "matches", "new_call", "present_call"]


def new_call(
    *,
    to_phone_number: str,
    from_phone_number: str,
    assistant: Mapping[str, Any],
    at: datetime,
    campaign: Mapping[str, Any] | None = None,
    call_retry_config: Mapping[str, Any] | None = None,
    metadata: Mapping[str, str] | None = None,
    prompt_variables: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A Call with every field, in ``initializing`` until it is queued."""
    return {
        "id": new_id("call"),
        "organization_id": ORGANIZATION_ID,
        "status": "initializing",
        "direction": "outbound",
        "from_phone_number": from_phone_number,
        "to_phone_number": to_phone_number,
        "created_at": iso(at),
        "updated_at": iso(at),
        "scheduled_at": None,
        "is_cancelled": False,
        "is_completed": False,
        "calls_count": 0,
        "call_attempts": [],
        "last_call_attempt": None,
        "assistant": copy.deepcopy(dict(assistant)),
        "llm_model": copy.deepcopy(assistant.get("llm_model")),
        "first_sentence_delay_ms": assistant.get("first_sentence_delay_ms", 400),
        "call_retry_config": copy.deepcopy(
            call_retry_config
            if call_retry_config is not None
            else assistant.get("call_retry_config")
        ),
        "campaign": dict(campaign) if campaign is not None else None,
        "contact": dict.fromkeys(("first_name", "last_name", "email", "company", "job_title")),
        "assignee": None,
        "metadata": dict(metadata) if metadata is not None else None,
        "prompt_variables": dict(prompt_variables) if prompt_variables is not None else None,
        "outcome": None,
        "outcome_summary": None,
        "follow_up_emails": None,
        "slack_channel_ids": None,
    }


def present_call(call: Mapping[str, Any], *, drift: bool) -> dict[str, Any]:
    """The call as answered; ``drift`` adds what a newer API might (nothing stored)."""
    shown = copy.deepcopy(dict(call))
    attempts = shown.get("call_attempts") or []
    shown["last_call_attempt"] = attempts[0] if attempts else None
    if drift:
        shown["sentiment"] = "neutral"
        for attempt in attempts:
            attempt["carrier"] = "mock-telecom"
            if attempt.get("end_reason") == "voicemail":
                attempt["end_reason"] = "voicemail_detected"
        if shown.get("status") == "completed" and attempts and attempts[0]["result"] == "voicemail":
            shown["status"] = "voicemail_detected"
    return shown


def last_result(call: Mapping[str, Any]) -> str | None:
    attempts = call.get("call_attempts") or []
    result = attempts[0].get("result") if attempts else None
    return result if isinstance(result, str) else None


def _in(values: Iterable[Any], value: Any) -> bool:
    """An empty filter list matches everything; ``"none"`` matches null."""
    wanted = list(values)
    return not wanted or (value if value is not None else "none") in wanted


def _id_of(part: Any) -> Any:
    return part.get("id") if isinstance(part, Mapping) else None


def matches(call: Mapping[str, Any], filters: Mapping[str, Any]) -> bool:
    """Does the call pass a CallFilter (or a campaign selection's filters)?"""
    query = str(filters.get("query") or "").casefold()
    searched = [call.get("id"), call.get("to_phone_number"), call.get("from_phone_number")]
    searched += [call.get("outcome_summary")]
    searched += list((call.get("metadata") or {}).values())
    searched += list((call.get("prompt_variables") or {}).values())
    return (
        _in(filters.get("assignee_ids", ()), _id_of(call.get("assignee")))
        and _in(filters.get("assistant_ids", ()), _id_of(call.get("assistant")))
        and _in(filters.get("campaign_ids", ()), _id_of(call.get("campaign")))
        and _in(filters.get("directions", ()), call.get("direction"))
        and _in(filters.get("from_phone_numbers", ()), call.get("from_phone_number"))
        and _in(filters.get("outcomes", ()), call.get("outcome"))
        and _in(filters.get("results", ()), last_result(call))
        and _in(filters.get("statuses", ()), call.get("status"))
        and _in(filters.get("call_ids", ()), call.get("id"))
        and filters.get("to_phone_number", call.get("to_phone_number"))
        == call.get("to_phone_number")
        and (not query or any(query in str(text).casefold() for text in searched if text))
    )


def _sorted(calls: Iterable[dict[str, Any]], filters: Mapping[str, Any]) -> list[dict[str, Any]]:
    """By ``sort_by`` (``created_at`` by default), newest first unless ``asc``; ties by id."""
    field = filters.get("sort_by") or "created_at"
    listed = list(calls)
    if listed and field not in listed[0]:
        raise RequestRejectedError("sort_by", f"calls have no field {field!r}", 422)

    def key(call: Mapping[str, Any]) -> tuple[bool, Any, str]:
        value = call.get(field)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return (value is not None, value if number else str(value), str(call.get("id")))

    return sorted(listed, key=key, reverse=filters.get("sort_direction", "desc") == "desc")


class CallRoutes(Routes):
    """``/call``, ``/call/{id}``, ``/call/search``, ``/call/export``, ``/calls/phone-history``."""

    def add_to(self, app: web.Application) -> None:
        add = app.router
        add.add_post("/api/call", self._create)
        add.add_get("/api/call", self._list)
        add.add_post("/api/call/search", self._search)
        add.add_post("/api/call/export", self._export)
        add.add_get("/api/calls/phone-history", self._phone_history)
        add.add_get("/api/call/{id}", self._retrieve)
        add.add_post("/api/call/{id}/{action:cancel|pause|resume}", self._steer)

    def _find(self, request: web.Request) -> tuple[dict[str, Any], Progress]:
        call = find(self._state.calls, request.match_info["id"], "call")
        return call, self._state.progress_of(call["id"])

    def _show(self, call: Mapping[str, Any]) -> dict[str, Any]:
        return present_call(call, drift=self._state.drift)

    async def _create(self, request: web.Request) -> web.Response:
        state = self._state
        body = validate_body(request[JSON], CALL_CREATE, state.extra_enums)
        if "assistant_id" in body:
            assistant = find(state.assistants, body["assistant_id"], "assistant", "assistant_id")
        else:  # an inline assistant: the call carries it, nothing stores it
            inline = {"name": "Inline assistant", **body["assistant"]}
            assistant = new_assistant(inline, state.clock.now())
        at = state.now()
        call = new_call(
            to_phone_number=body["phone_number"],
            from_phone_number=body.get("from_phone_number") or state.caller_id(assistant),
            assistant=assistant,
            at=at,
            metadata=body.get("metadata"),
            prompt_variables=body.get("prompt_variables"),
        )
        scheduled = body.get("scheduled_at")
        when = parse_iso(scheduled) if scheduled is not None else None
        state.add_call(call, at, scheduled_at=when)
        return web.json_response({"call": self._show(call)}, status=201)

    async def _retrieve(self, request: web.Request) -> web.Response:
        return web.json_response({"call": self._show(self._find(request)[0])})

    async def _steer(self, request: web.Request) -> web.Response:
        """``cancel``, ``pause`` or ``resume`` the call (409 where that cannot apply)."""
        call, progress = self._find(request)
        STEERS[request.match_info["action"]](
            call, progress, self._state.now(), self._state.call_plan
        )
        return web.json_response({"success": True})

    def _filtered(self, filters: Mapping[str, Any]) -> list[dict[str, Any]]:
        found = (call for call in self._state.calls.values() if matches(call, filters))
        return _sorted(found, filters)

    async def _search(self, request: web.Request) -> web.Response:
        """Pages of ``page_size`` counted from 1, with the ``total_count`` of all matches."""
        filters = validate_body(request[JSON], CALL_FILTER, self._state.extra_enums)
        found = self._filtered(filters)
        start = (filters["page"] - 1) * filters["page_size"]
        page = found[start : start + filters["page_size"]]
        return web.json_response(
            {"calls": [self._show(call) for call in page], "total_count": len(found)}
        )

    async def _list(self, request: web.Request) -> web.Response:
        """``GET /call?page=&page_size=``, the older history call: 0-based pages (as
        another public client of the live API reads them), newest first, no total."""
        page = _query_int(request, "page", 0)
        size = _query_int(request, "page_size", 20)
        if page < 0 or size < 1:
            field = "page" if page < 0 else "page_size"
            raise RequestRejectedError(field, "page >= 0 and page_size >= 1", 422)
        found = self._filtered({})[page * size : (page + 1) * size]
        return web.json_response({"calls": [self._show(call) for call in found]})

    async def _export(self, request: web.Request) -> web.Response:
        """Every call the filters match (``page`` ignored) as CSV text inside JSON."""
        body = validate_body(request[JSON], CALL_EXPORT, self._state.extra_enums)
        found = self._filtered(body["filters"])
        header = list(CSV_COLUMNS)
        metadata_keys: list[str] = []
        output_keys: list[str] = []
        if body.get("include_metadata"):
            metadata_keys = sorted({k for call in found for k in call.get("metadata") or {}})
            header += [f"metadata.{key}" for key in metadata_keys]
        if body.get("include_structured_output_fields"):
            output_keys = sorted({k for call in found for k in _structured(call)})
            header += [f"structured_output.{key}" for key in output_keys]
        rows = [
            [
                *(column(call) for column in CSV_COLUMNS.values()),
                *((call.get("metadata") or {}).get(key) for key in metadata_keys),
                *(_structured(call).get(key) for key in output_keys),
            ]
            for call in found
        ]
        stamp = self._state.now().strftime("%Y%m%d-%H%M%S")
        return web.json_response({"csv": csv_text(header, rows), "filename": f"calls-{stamp}.csv"})

    async def _phone_history(self, request: web.Request) -> web.Response:
        """Per number dialled at least once: attempts, campaigns, and what came of them."""
        history: dict[str, dict[str, Any]] = {}
        by_time = sorted(self._state.calls.values(), key=lambda c: str(c.get("created_at")))
        for call in by_time:
            attempts = call.get("call_attempts") or []
            if not attempts:
                continue
            entry = history.setdefault(
                call["to_phone_number"],
                {
                    "count": 0,
                    "campaigns": [],
                    "do_not_contact": False,
                    "hot": False,
                    "reached_human": False,
                    "last_called_at": None,
                    "last_outcome": None,
                },
            )
            entry["count"] += len(attempts)
            campaign = call.get("campaign")
            if campaign and campaign not in entry["campaigns"]:
                entry["campaigns"].append(dict(campaign))
            outcome = call.get("outcome")
            entry["do_not_contact"] |= outcome == "not_interested"
            entry["hot"] |= outcome == "interested"
            entry["reached_human"] |= any(a.get("result") == "human" for a in attempts)
            entry["last_called_at"] = max(
                filter(None, (entry["last_called_at"], attempts[0].get("started_at")))
            )
            entry["last_outcome"] = outcome if outcome is not None else entry["last_outcome"]
        return web.json_response({"phone_history": history})


def _query_int(request: web.Request, name: str, default: int) -> int:
    text = request.query.get(name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise RequestRejectedError(name, "expected an integer") from None


def _structured(call: Mapping[str, Any]) -> Mapping[str, Any]:
    attempts = call.get("call_attempts") or []
    output = attempts[0].get("structured_output") if attempts else None
    return output if isinstance(output, Mapping) else {}


CSV_COLUMNS: dict[str, Any] = {
    "id": lambda c: c.get("id"),
    "created_at": lambda c: c.get("created_at"),
    "status": lambda c: c.get("status"),
    "direction": lambda c: c.get("direction"),
    "from_phone_number": lambda c: c.get("from_phone_number"),
    "to_phone_number": lambda c: c.get("to_phone_number"),
    "assistant_id": lambda c: _id_of(c.get("assistant")),
    "campaign_id": lambda c: _id_of(c.get("campaign")),
    "calls_count": lambda c: c.get("calls_count"),
    "result": last_result,
    "outcome": lambda c: c.get("outcome"),
    "outcome_summary": lambda c: c.get("outcome_summary"),
}
"""The call export's fixed columns: the column name and how to read it from a call (a
campaign export's last columns read theirs the same way)."""
