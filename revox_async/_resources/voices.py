"""``client.voices``: the voice catalogue, cloning a voice from a recording, previews."""

from __future__ import annotations

import base64
import builtins
import mimetypes
import re
import sys
import warnings
from os import PathLike
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import quote

from revox_async._converter import (
    InvalidResponse,
    build_body,
    decode_list,
    decode_model,
    decode_success,
)
from revox_async._core import loads
from revox_async._endpoint import Raw, Request, Resource, endpoint, segment
from revox_async._models.shared import CartesiaModel, VoiceProvider
from revox_async._models.voices import AudioContentType, ClonedVoice, Language, VoiceInfo
from revox_async._retry import IN_USE

from ._params import declared_types

__all__ = ["Voices"]

_M = TypeVar("_M")

_list = decode_list(VoiceInfo, "voices")
_one = decode_model(VoiceInfo, "voice")
_CLONE_NOTE = (
    "The server may have cloned the voice although the answer was lost: it was not sent "
    "again. Look for it in voices.list() (is_cloned, name) before cloning it again."
)
_cloned = decode_model(ClonedVoice, expect={"id": str})
_CONTENT_TYPES = {
    ".webm": "audio/webm",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".mpeg": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".m4a": "audio/mp4",
    ".mp4": "audio/mp4",
}


def _bytes(data: bytes) -> bytes:
    """The audio, as sent; an empty body, or a JSON object (an error in a 200), is not."""
    if not data.strip():
        raise InvalidResponse("the preview is empty")
    if data.lstrip()[:1] == b"{":
        try:
            value = loads(data)
        except (ValueError, RecursionError):
            return data  # audio that happens to start with "{"
        if isinstance(value, dict):
            raise InvalidResponse(f"the preview is a JSON object, not audio: {data[:200]!r}")
    return data


_BASE64 = re.compile(r"[A-Za-z0-9+/_-]*={0,2}")
"""Base64 text, standard or URL-safe, once whitespace is taken out."""
_PACKAGE = str(Path(__file__).resolve().parents[1])


def _audio(audio: Any, content_type: str | None) -> tuple[str, str]:
    """The base64 text of ``audio`` and its content type.

    A ``str`` is base64 text, sent as given (as the official client takes it);
    bytes, a path or a binary file object are read and encoded. A ``str`` that
    cannot be base64 (a ``.`` or a space in it) and names an existing file is read
    too, with a ``DeprecationWarning``: this SDK read a ``str`` as a path before.
    """
    if isinstance(audio, str):
        if ("." in audio or " " in audio) and Path(audio).is_file():
            warnings.warn(
                "voices.clone(audio=<str>) takes base64 text, as the official client does; "
                "a file path as a str is read for one more release: pass Path(...) instead",
                DeprecationWarning,
                stacklevel=_outside_the_sdk(),
            )
            audio = Path(audio)
        else:
            return _base64_text(audio), _given_type(content_type, "base64 text")
    named: object = None
    if isinstance(audio, PathLike):
        path = Path(audio)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"audio: cannot read {str(path)!r}: {exc.strerror}") from None
        named = path
    elif isinstance(audio, bytes | bytearray | memoryview):
        data = bytes(audio)
    elif callable(getattr(audio, "read", None)):
        data = audio.read()
        if isinstance(data, str):
            raise TypeError("audio: a file opened in text mode; open it in binary mode ('rb')")
        if not isinstance(data, bytes | bytearray):
            raise TypeError(f"audio: the file's read() gave {type(data).__name__}, not bytes")
        named = getattr(audio, "name", None)
    else:
        raise TypeError(
            "audio: expected base64 text, bytes, a Path or a binary file, "
            f"got {type(audio).__name__}"
        )
    if not data:
        raise ValueError("audio: is empty")
    if content_type is None and isinstance(named, str | PathLike):
        suffix = Path(named).suffix.lower()
        content_type = _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(Path(named))[0]
        if content_type is None:
            raise TypeError(f"content_type: cannot tell it from {Path(named).name!r}; give it")
    return base64.b64encode(data).decode("ascii"), _given_type(content_type, "bytes")


def _base64_text(text: str) -> str:
    """``text`` as given, once it is known to be base64 audio."""
    compact = "".join(text.split())
    if not compact:
        raise ValueError("audio: is empty")
    if not _BASE64.fullmatch(compact) or len(compact.rstrip("=")) % 4 == 1:
        shown = f"{text[:40]!r}{'...' if len(text) > 40 else ''}"
        raise ValueError(
            f"audio: {shown} is not base64 text (a str is the audio base64-encoded, as in "
            "the official client); pass bytes, a Path or a binary file to send a recording"
        )
    return text


def _given_type(content_type: str | None, what: str) -> str:
    if content_type is None:
        raise TypeError(f"content_type: required when audio is {what} (e.g. 'audio/wav')")
    return content_type


def _outside_the_sdk() -> int:
    """The ``stacklevel`` that points a warning at the caller's line, not the SDK's."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


class Voices(Resource[_M]):
    """The voices an assistant can speak with: ``client.voices``."""

    @property
    def with_raw_response(self) -> Voices[Raw[_M]]:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""
        return cast("Voices[Raw[_M]]", self._raw_twin())

    @endpoint
    def list(self) -> Request[builtins.list[VoiceInfo]]:
        """Every voice: the presets and your organisation's clones.

        for voice in await client.voices.list():
            print(voice.provider, voice.id, voice.name, voice.language)
        """
        return Request("GET", "/voices", _list)

    @endpoint
    def retrieve(self, voice_id: str, *, provider: VoiceProvider) -> Request[VoiceInfo]:
        """One voice; the API needs its ``provider``.

        voice = await client.voices.retrieve("79a125e8", provider="cartesia")
        """
        if not isinstance(provider, str) or not provider:
            raise TypeError("invalid parameters: provider: expected a provider name")
        query = quote(provider, safe="")
        return Request("GET", f"/voices/{segment('voice_id', voice_id)}?provider={query}", _one)

    @endpoint
    def delete(self, voice_id: str) -> Request[bool]:
        """Delete a cloned voice. An assistant still using it makes this a 409
        (`ConflictError`), raised at once: it is not retried.

        await client.voices.delete(voice_id)
        """
        path = f"/voices/{segment('voice_id', voice_id)}"
        return Request("DELETE", path, decode_success, final_statuses=IN_USE)

    @endpoint
    def clone(
        self,
        *,
        name: str,
        audio: str | bytes | PathLike[str] | IO[bytes],
        language: Language,
        content_type: AudioContentType | None = None,
    ) -> Request[ClonedVoice]:
        """Clone a voice from a recording (about 7.5 MB of audio at most).

            voice = await client.voices.clone(name="Ada", audio=Path("ada.wav"), language="en")

        ``audio`` is base64 text when a ``str`` (as in the official client), else
        bytes, a path or a binary file object to read. ``content_type`` is read from
        a path's (or a file's name's) suffix when not given. The audio travels
        base64-encoded inside JSON, as the API expects.
        """
        encoded, kind = _audio(audio, content_type)
        given = {"name": name, "audio": encoded, "content_type": kind, "language": language}
        body = _wire(build_body(given, _CLONE))
        return Request("POST", "/voices/clone", _cloned, body, not_resent=_CLONE_NOTE)

    @endpoint
    def preview(
        self,
        *,
        provider: VoiceProvider,
        voice_id: str,
        text: str | None = None,
        model: CartesiaModel | None = None,
        speed: float | None = None,
        volume: float | None = None,
    ) -> Request[bytes]:
        """Hear a voice: the audio bytes of ``text`` (or a default sentence) spoken.

            audio = await client.voices.preview(provider="cartesia", voice_id="79a125e8")
            Path("preview.wav").write_bytes(audio)

        ``model`` and ``volume`` apply to Cartesia voices. The API does not say
        which audio format it sends: ``with_raw_response`` shows the
        ``Content-Type``.
        """
        given: dict[str, Any] = {"provider": provider, "voice_id": voice_id, "text": text}
        given.update({"model": model, "speed": speed, "volume": volume})
        body = build_body(
            {k: v for k, v in given.items() if v is not None},
            _PREVIEW,
            required=("provider", "voice_id"),
        )
        body = _wire(body)
        return Request("POST", "/voices/preview", _bytes, body, binary=True)


_CLONE = declared_types(
    Voices.clone.__wrapped__, "name", "content_type", "language", audio=str
)  # the audio is sent as base64 text, whatever it was given as
_PREVIEW = declared_types(
    Voices.preview.__wrapped__, "provider", "voice_id", "text", "model", "speed", "volume"
)
_WIRE_NAMES = {"content_type": "contentType", "voice_id": "voiceId"}


def _wire(body: dict[str, Any]) -> dict[str, Any]:
    """The body with the API's camelCase names (the keywords are snake_case)."""
    return {_WIRE_NAMES.get(name, name): value for name, value in body.items()}
