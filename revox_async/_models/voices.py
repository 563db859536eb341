"""Voices: the catalogue (presets and your clones), cloning from a recording, previews."""

# No ``from __future__ import annotations``: see shared.py.

import sys
from datetime import datetime
from typing import Literal, TypeAlias

import attrs

from ._base import Model, resolve_module
from .shared import VoiceProvider

__all__ = ["ClonedVoice", "VoiceInfo"]

Language: TypeAlias = Literal["en", "fr", "es", "de", "it", "pt", "ru", "zh"]
AudioContentType: TypeAlias = Literal[
    "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
]


@attrs.define(kw_only=True)
class VoiceInfo(Model):
    """A voice of the catalogue (``voices.list``, ``voices.retrieve``).

    ``is_cloned`` and ``model_compat`` are ``isCloned`` and ``modelCompat``
    on the wire; an absent ``model_compat`` means ``"universal"``.
    """

    id: str
    name: str | None = None
    description: str | None = None
    language: Language | None = None
    provider: VoiceProvider | None = None
    accent: str | None = None
    gender: str | None = None
    is_cloned: bool | None = attrs.field(default=None, metadata={"wire": "isCloned"})
    model_compat: Literal["universal", "sonic-3", "sonic-3.5"] | None = attrs.field(
        default=None, metadata={"wire": "modelCompat"}
    )


@attrs.define(kw_only=True)
class ClonedVoice(Model):
    """What ``voices.clone`` made (``cartesiaVoiceId`` and ``createdAt`` on the wire)."""

    id: str
    name: str | None = None
    language: str | None = None
    cartesia_voice_id: str | None = attrs.field(default=None, metadata={"wire": "cartesiaVoiceId"})
    created_at: datetime | str | None = attrs.field(default=None, metadata={"wire": "createdAt"})


resolve_module(sys.modules[__name__], public=True)
