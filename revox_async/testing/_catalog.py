"""The mock's account endpoints: voices, phone numbers, the user, auth status."""

from __future__ import annotations

import base64
import copy
import io
import math
import struct
import wave
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from ._common import JSON, ORGANIZATION_ID, Routes, find, iso, member, new_id
from ._schema import (
    ENUMS,
    PHONE_NUMBER_UPDATE,
    VOICE_CLONE,
    VOICE_PREVIEW,
    RequestRejectedError,
    validate_body,
)

__all__ = ["MAX_CLONE_BYTES", "CatalogRoutes", "seed_phone_numbers", "seed_user", "seed_voices"]

MAX_CLONE_BYTES = int(7.5 * 2**20)
"""The largest decoded recording ``POST /voices/clone`` takes ("about 7.5 MB"); more is a 413."""


def _voice(
    voice_id: str, name: str, provider: str, language: str = "en", **more: Any
) -> dict[str, Any]:
    return {
        "id": voice_id,
        "name": name,
        "description": f"{name}, a {provider} voice",
        "language": language,
        "provider": provider,
        "accent": more.get("accent"),
        "gender": more.get("gender"),
        "isCloned": more.get("isCloned", False),
        "modelCompat": more.get("modelCompat"),
    }


def seed_voices() -> dict[str, dict[str, Any]]:
    """Preset voices of each provider, and one cloned voice the organisation owns."""
    voices = [
        _voice("79a125e8-cd45-4c13-8a67-188112f4dd22", "British Lady", "cartesia",
               accent="british", gender="female"),
        _voice("a0e99841-438c-4a64-b679-ae501e7d6091", "Barbershop Man", "cartesia",
               accent="american", gender="male", modelCompat="sonic-3"),
        _voice("21m00Tcm4TlvDq8ikWAM", "Rachel", "elevenlabs", accent="american", gender="female"),
        _voice("pNInz6obpgDQGcFmaJgB", "Adam", "elevenlabs", accent="american", gender="male"),
        _voice("gradium-emma", "Emma", "gradium", language="fr", accent="parisian",
               gender="female"),
        _voice("cloned-owner-voice", "Owner's voice", "cartesia", isCloned=True,
               modelCompat="sonic-3.5"),
    ]  # fmt: skip
    return {voice["id"]: voice for voice in voices}


def seed_phone_numbers(at: datetime) -> dict[str, dict[str, Any]]:
    """An owned Twilio number (the default caller id) and a verified caller id."""
    numbers: list[dict[str, Any]] = [
        {
            "id": "pn_owned",
            "phone_number": "+14155550100",
            "label": "Main line",
            "provider": "twilio",
            "source": "revox_purchased",
            "type": "owned_number",
            "inbound_assistant_id": None,
            "inbound_sip_uri": None,
            "livekit_outbound_trunk_id": "ST_mock_trunk",
            "created_at": iso(at),
            "created_by": member(),
        },
        {
            "id": "pn_verified",
            "phone_number": "+33123456789",
            "label": None,
            "provider": "sip",
            "source": "user_imported",
            "type": "verified_caller_id",
            "inbound_assistant_id": None,
            "inbound_sip_uri": None,
            "livekit_outbound_trunk_id": None,
            "created_at": iso(at),
            "created_by": member(),
        },
    ]
    return {number["id"]: number for number in numbers}


def seed_user(at: datetime) -> dict[str, Any]:
    """The key's user: the ``created_by`` of everything, in the assistants' organisation."""
    return {
        **member(),
        "organization_id": ORGANIZATION_ID,
        "organization_country": "US",
        "has_completed_onboarding": True,
        "created_at": iso(at),
        "updated_at": iso(at),
    }


def preview_wav(text: str, *, rate: int = 8000) -> bytes:
    """A short mono 16-bit WAV: a 440 Hz tone, longer for a longer text (0.2-1 s)."""
    frames = int(rate * min(1.0, 0.2 + len(text) / 200))
    samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return out.getvalue()


class CatalogRoutes(Routes):
    """``/voices``, ``/phone-numbers``, ``/users/me`` and ``/auth-status``."""

    def add_to(self, app: web.Application) -> None:
        add = app.router
        add.add_get("/api/voices", self._list_voices)
        add.add_post("/api/voices/clone", self._clone_voice)
        add.add_post("/api/voices/preview", self._preview_voice)
        add.add_get("/api/voices/{id}", self._retrieve_voice)
        add.add_delete("/api/voices/{id}", self._delete_voice)
        add.add_get("/api/phone-numbers", self._list_numbers)
        add.add_patch("/api/phone-numbers/{id}", self._update_number)
        add.add_delete("/api/phone-numbers/{id}", self._delete_number)
        add.add_get("/api/users/me", self._me)
        add.add_get("/api/auth-status", self._auth_status)

    # -- voices ------------------------------------------------------------------

    def _show_voice(self, voice: Mapping[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(dict(voice))
        if self._state.drift:
            shown["tags"] = ["mock"]
            if shown["provider"] == "cartesia" and shown.get("modelCompat") is None:
                shown["modelCompat"] = "sonic-4"
        return shown

    async def _list_voices(self, request: web.Request) -> web.Response:
        voices = [self._show_voice(v) for v in self._state.voices.values()]
        return web.json_response({"voices": voices})

    async def _retrieve_voice(self, request: web.Request) -> web.Response:
        """``?provider=`` is required (400 without, 422 for an unknown one; 404 if it differs)."""
        provider = request.query.get("provider")
        if provider is None:
            raise RequestRejectedError("provider", "required (a query parameter)")
        if provider not in ENUMS["VoiceProvider"]:
            raise RequestRejectedError("provider", f"{provider!r} is not a voice provider", 422)
        voice = find(self._state.voices, request.match_info["id"], "voice")
        if voice["provider"] != provider:
            raise RequestRejectedError("id", f"no {provider} voice with this id", 404)
        shown = {"id": voice["id"], "name": voice["name"], "description": voice["description"]}
        return web.json_response({"voice": shown})

    async def _delete_voice(self, request: web.Request) -> web.Response:
        """Cloned voices only (422 for a preset); 409 while an assistant speaks with it."""
        voice = find(self._state.voices, request.match_info["id"], "voice")
        if not voice.get("isCloned"):
            raise RequestRejectedError("id", "only cloned voices can be deleted", 422)
        users = [
            a["id"]
            for a in self._state.assistants.values()
            if isinstance(a.get("voice"), Mapping) and a["voice"].get("id") == voice["id"]
        ]
        if users:
            raise RequestRejectedError("id", f"the voice is used by assistant {users[0]}", 409)
        del self._state.voices[voice["id"]]
        return web.json_response({"success": True})

    async def _clone_voice(self, request: web.Request) -> web.Response:
        state = self._state
        body = validate_body(request[JSON], VOICE_CLONE, state.extra_enums)
        size = len(base64.b64decode(body["audio"]))
        if size > MAX_CLONE_BYTES:
            raise RequestRejectedError(
                "audio", f"{size} bytes decoded; at most {MAX_CLONE_BYTES}", 413
            )
        at = state.now()
        voice_id = new_id("voice")
        state.voices[voice_id] = _voice(
            voice_id, body["name"], "cartesia", body["language"], isCloned=True
        )
        state.voices[voice_id]["description"] = "A voice cloned from a recording"
        answer = {
            "id": voice_id,
            "cartesiaVoiceId": voice_id,
            "createdAt": iso(at),
            "language": body["language"],
            "name": body["name"],
        }
        return web.json_response(answer, status=201)

    async def _preview_voice(self, request: web.Request) -> web.Response:
        """A valid WAV (``audio/wav``) of a tone: what a client does with audio bytes."""
        body = validate_body(request[JSON], VOICE_PREVIEW, self._state.extra_enums)
        voice = find(self._state.voices, body["voiceId"], "voice", "voiceId")
        if voice["provider"] != body["provider"]:
            raise RequestRejectedError("voiceId", f"no {body['provider']} voice with this id", 404)
        audio = preview_wav(body.get("text") or "Hello! This is a preview of my voice.")
        return web.Response(body=audio, content_type="audio/wav")

    # -- phone numbers -----------------------------------------------------------

    def _number(self, request: web.Request) -> dict[str, Any]:
        return find(self._state.phone_numbers, request.match_info["id"], "phone number")

    def _show_number(self, number: Mapping[str, Any]) -> dict[str, Any]:
        """The full ``inbound_assistant`` in place of the stored id (null once it is gone)."""
        shown = {k: copy.deepcopy(v) for k, v in number.items() if k != "inbound_assistant_id"}
        assistant = self._state.assistants.get(str(number.get("inbound_assistant_id")))
        shown["inbound_assistant"] = copy.deepcopy(assistant)
        if self._state.drift:
            shown["capabilities"] = ["voice", "sms"]
        return shown

    async def _list_numbers(self, request: web.Request) -> web.Response:
        numbers = [self._show_number(n) for n in self._state.phone_numbers.values()]
        return web.json_response({"phone_numbers": numbers})

    async def _update_number(self, request: web.Request) -> web.Response:
        number = self._number(request)
        body = validate_body(request[JSON], PHONE_NUMBER_UPDATE, self._state.extra_enums)
        assistant_id = body.get("inbound_assistant_id")
        if assistant_id is not None:
            find(self._state.assistants, assistant_id, "assistant", "inbound_assistant_id")
        for key in ("inbound_assistant_id", "label"):
            if key in body:
                number[key] = body[key]
        return web.json_response({"phone_number": self._show_number(number)})

    async def _delete_number(self, request: web.Request) -> web.Response:
        del self._state.phone_numbers[self._number(request)["id"]]
        return web.json_response({"success": True})

    # -- the user ----------------------------------------------------------------

    async def _me(self, request: web.Request) -> web.Response:
        user = copy.deepcopy(self._state.user)
        if self._state.drift:
            user["role"] = "owner"
        return web.json_response({"user": user})

    async def _auth_status(self, request: web.Request) -> web.Response:
        """Only a valid key gets here: the middleware answers 401 to any other."""
        return web.json_response({"authenticated": True})
