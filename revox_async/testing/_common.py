"""What every part of the mock server shares: time stamps, ids, errors, the owner."""

from __future__ import annotations

import copy
import csv
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from ._schema import ENUMS, RequestRejectedError

if TYPE_CHECKING:
    from ._state import MockState

__all__ = [
    "JSON",
    "ORGANIZATION_ID",
    "Routes",
    "csv_text",
    "error",
    "find",
    "iso",
    "member",
    "new_id",
    "parse_iso",
    "with_retry_defaults",
]

JSON: web.RequestKey[Any] = web.RequestKey("json", object)
"""The request's parsed JSON body, read once by the middleware."""

ORGANIZATION_ID = "org_mock"
"""The one organisation on the mock: its assistants, calls, campaigns and user."""


def member() -> dict[str, Any]:
    """Who creates everything on the mock (``created_by``); ``GET /users/me`` is this user."""
    return {
        "id": "user_mock",
        "email": "owner@example.com",
        "first_name": "Mock",
        "last_name": "Owner",
    }


def iso(moment: datetime) -> str:
    """``2026-01-02T03:04:05.678Z``: the API's time stamps."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """An ISO 8601 time as an aware UTC datetime (a time without offset is UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


T = TypeVar("T")


class Routes:
    """A resource's endpoints: they read and change the server's `MockState`, nothing else."""

    def __init__(self, state: MockState) -> None:
        self._state = state


def find(store: Mapping[str, T], key: str, what: str, field: str = "id") -> T:
    """``store[key]``, or a 404 naming ``field``: ``no assistant with id 'x'``."""
    found = store.get(key)
    if found is None:
        raise RequestRejectedError(field, f"no {what} with id {key!r}", 404)
    return found


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def error(status: int, message: str, **extra: Any) -> web.Response:
    kind = {
        400: "bad_request",
        401: "unauthorized",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        422: "unprocessable_entity",
    }.get(status, "server_error")
    return web.json_response({"error": kind, "message": message, **extra}, status=status)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (RFC 4180 quoting, ``\\r\\n`` line ends); ``None`` is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


WEEKDAYS = ENUMS["Weekday"][:5]
"""The documented default ``allowed_days``."""


def with_retry_defaults(config: Mapping[str, Any]) -> dict[str, Any]:
    """A CallRetryConfig as stored: the documented defaults under what was sent."""
    return {
        "allowed_days": list(WEEKDAYS),
        "call_twice_in_a_row": False,
        "max_retry_attempts": 3,
        "timezone": None,
        **copy.deepcopy(dict(config)),
    }
