"""The mock's assistant endpoints: create, list, read, update, delete and clone."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from aiohttp import web

from ._common import JSON, ORGANIZATION_ID, Routes, find, iso, member, with_retry_defaults
from ._schema import ASSISTANT_CREATE, ASSISTANT_UPDATE, FIELDS, SERVER_FIELDS, validate_body

__all__ = ["ODD_VALUES", "AssistantRoutes", "new_assistant"]

ODD_VALUES: Mapping[str, Any] = MappingProxyType(
    {
        "ivr_navigation_enabled": "yes",
        "voice.speed": "fast",
        "llm_model": {"name": "gpt-4.1"},
    }
)
"""What ``odd_values = True`` injects (``MockRevoxServer.ODD_VALUES``)."""


class AssistantRoutes(Routes):
    """``/assistants``, ``/assistants/{id}`` and ``/assistants/{id}/clone``."""

    def add_to(self, app: web.Application) -> None:
        add = app.router
        add.add_post("/api/assistants", self._create)
        add.add_get("/api/assistants", self._list)
        add.add_get("/api/assistants/{id}", self._retrieve)
        add.add_patch("/api/assistants/{id}", self._update)
        add.add_delete("/api/assistants/{id}", self._delete)
        add.add_post("/api/assistants/{id}/clone", self._clone)

    def _find(self, request: web.Request) -> dict[str, Any]:
        return find(self._state.assistants, request.match_info["id"], "assistant")

    def _show(self, assistant: dict[str, Any]) -> dict[str, Any]:
        """The assistant as answered: drifted, and with odd values put in, when asked."""
        shown = copy.deepcopy(assistant)
        if self._state.drift:
            shown = _drifted(shown)
        odd = self._state.odd_values
        for path, value in (ODD_VALUES if odd is True else odd or {}).items():
            _put(shown, path.split("."), copy.deepcopy(value))
        return shown

    async def _create(self, request: web.Request) -> web.Response:
        body = validate_body(request[JSON], ASSISTANT_CREATE, self._state.extra_enums)
        assistant = new_assistant(body, self._state.now())
        self._state.assistants[assistant["id"]] = assistant
        return web.json_response({"assistant": self._show(assistant)}, status=201)

    async def _clone(self, request: web.Request) -> web.Response:
        original = self._find(request)
        now = iso(self._state.now())
        clone = copy.deepcopy(original)
        clone.update(
            id=_new_id(),
            name=f"{original.get('name', '')} (Copy)",
            created_at=now,
            updated_at=now,
            created_by=member(),
        )
        for item in clone.get("faq_items") or ():
            if isinstance(item, dict):
                item["id"] = _new_faq_id()
        self._state.assistants[clone["id"]] = clone
        return web.json_response({"assistant": self._show(clone)}, status=201)

    async def _list(self, request: web.Request) -> web.Response:
        shown = [self._show(a) for a in self._state.assistants.values()]
        return web.json_response({"assistants": shown})

    async def _retrieve(self, request: web.Request) -> web.Response:
        return web.json_response(self._show(self._find(request)))

    async def _update(self, request: web.Request) -> web.Response:
        assistant = self._find(request)
        body = validate_body(request[JSON], ASSISTANT_UPDATE, self._state.extra_enums)
        assistant.update(_with_server_fields(body))
        assistant["updated_at"] = iso(self._state.now())
        payload: dict[str, Any] = {"assistant": self._show(assistant)}
        notice = self._state.unpatched_calls_notice
        if notice is not None:
            payload["unpatchedCallsNotice"] = copy.deepcopy(dict(notice))
        return web.json_response(payload)

    async def _delete(self, request: web.Request) -> web.Response:
        del self._state.assistants[self._find(request)["id"]]
        return web.json_response({"success": True})


def _new_id() -> str:
    return str(uuid.uuid4())  # the schema gives assistant ids the format uuid


def _new_faq_id() -> str:
    return f"faq_{uuid.uuid4().hex[:12]}"


def _with_server_fields(params: Mapping[str, Any]) -> dict[str, Any]:
    """Client params as stored: server-set keys dropped, nested server-side parts filled."""
    stored = {k: copy.deepcopy(v) for k, v in params.items() if k not in SERVER_FIELDS}
    if isinstance(stored.get("faq_items"), list):
        stored["faq_items"] = [
            {"id": _new_faq_id(), "needs_human_answer": False, "source": "human", **item}
            for item in stored["faq_items"]
        ]
        stored["pending_faq_count"] = 0
    voice = stored.get("voice")
    if isinstance(voice, dict):
        voice.setdefault("speed", 1.0)
    config = stored.get("call_retry_config")
    if isinstance(config, dict):
        stored["call_retry_config"] = with_retry_defaults(config)
    return stored


_DEFAULT_WINDOW = {
    "calling_window_start_time": "10:00",
    "calling_window_end_time": "18:00",
    "retry_delay_seconds": 7200,
}


def new_assistant(params: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    """A new assistant: every field of the Assistant object, defaults under the params."""
    now = iso(at)
    return {
        "id": _new_id(),
        "organization_id": ORGANIZATION_ID,
        "created_at": now,
        "updated_at": now,
        "created_by": member(),
        **dict.fromkeys(FIELDS),  # every settable field: null, but for the defaults below
        "type": "standalone",
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "stt_model": "stt-rt-v4",
        "first_sentence_mode": "generated",
        "first_sentence_delay_ms": 400,
        "max_call_duration_secs": 600.0,
        "background_sound_volume": 1.0,
        "thinking_sound_probability": 0.5,
        "thinking_sound_volume": 1.0,
        "ivr_navigation_enabled": False,
        "sms_enabled": False,
        "call_retry_config": with_retry_defaults({"calling_windows": [_DEFAULT_WINDOW]}),
        "structured_output_config": [],
        "faq_items": [],
        "pending_faq_count": 0,
        "is_inbound_receptionist": False,
        "is_realestate_assistant": False,
        **_with_server_fields(params),
    }


def _drifted(assistant: dict[str, Any]) -> dict[str, Any]:
    """The same assistant as a newer API would show it: nothing here is in the 0.5.0 contract."""
    assistant["voicemail_detection"] = {"enabled": True, "timeout_ms": 3000}
    assistant["stt_model"] = "stt-rt-v6"
    if assistant.get("background_sound") is None:
        assistant["background_sound"] = "audio/street.ogg"
    if assistant.get("first_sentence_mode") == "generated":
        assistant["first_sentence_mode"] = "adaptive"
    if assistant.get("llm_model") == {"type": "dedicated-instance", "name": "gpt-4.1"}:
        assistant["llm_model"] = {
            "type": "mixture",
            "models": ["gpt-4.1", "ministral-3-8b-instruct"],
            "strategy": "fastest",
        }
    voice = assistant.get("voice")
    if isinstance(voice, dict):
        voice["emotion"] = "calm"
    for item in assistant.get("faq_items") or ():
        if isinstance(item, dict):
            item["tags"] = ["imported"]
    return assistant


def _put(target: dict[str, Any] | list[Any], path: list[str], value: Any) -> None:
    """``target[path[0]]...[path[-1]] = value``, creating missing parent objects; a list
    index not there skips it."""
    key: Any = path[0]
    if isinstance(target, list):
        if not key.isdigit() or int(key) >= len(target):
            return
        key = int(key)
    if len(path) == 1:
        target[key] = value
        return
    child = target[key] if isinstance(target, list) else target.get(key)
    if not isinstance(child, (dict, list)):
        if path[1].isdigit():  # a list the assistant does not have
            return
        child = target[key] = {}
    _put(child, path[1:], value)
