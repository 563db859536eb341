"""Phone numbers of the account, and the user behind the API key."""

# No ``from __future__ import annotations``: see shared.py.

import sys
from datetime import datetime
from typing import Literal

import attrs

from ._base import Model, resolve_module
from .assistants import Assistant
from .shared import Member

__all__ = ["AuthStatus", "PhoneNumber", "User"]


@attrs.define(kw_only=True)
class PhoneNumber(Model):
    """A number calls are placed from (and answered on, with an ``inbound_assistant``)."""

    id: str
    phone_number: str | None = None
    label: str | None = None
    provider: Literal["twilio", "telnyx", "sip"] | None = None
    source: Literal["user_imported", "revox_provisioned", "revox_purchased"] | None = None
    type: Literal["owned_number", "verified_caller_id"] | None = None
    inbound_assistant: Assistant | None = None
    inbound_sip_uri: str | None = None
    livekit_outbound_trunk_id: str | None = None
    created_at: datetime | str | None = None
    created_by: Member | None = None


@attrs.define(kw_only=True)
class User(Model):
    """The user the API key belongs to (``users.me()``)."""

    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    organization_id: str | None = None
    organization_country: str | None = None
    """ISO 3166-1 alpha-2, e.g. ``"FR"``."""
    has_completed_onboarding: bool | None = None
    created_at: datetime | str | None = None
    updated_at: datetime | str | None = None


@attrs.define(kw_only=True)
class AuthStatus(Model):
    """``auth_status()``: whether the key is (still) valid."""

    authenticated: bool | None = None


resolve_module(sys.modules[__name__], public=True)
