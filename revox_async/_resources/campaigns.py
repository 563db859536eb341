"""``client.campaigns``: call a list of contacts with one assistant, and follow the results."""

from __future__ import annotations

import builtins
import functools
import json
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, TypeVar, Unpack, cast, get_type_hints

from revox_async._converter import (
    build_body,
    check_numbers,
    decode_list,
    decode_model,
    decode_success,
)
from revox_async._endpoint import Raw, Request, Resource, endpoint, segment
from revox_async._models.calls import CsvExport
from revox_async._models.campaigns import (
    Campaign,
    CampaignCreateParams,
    CampaignRow,
    CampaignStatistics,
    CampaignUpdateParams,
    LaunchResult,
    SelectionParams,
)
from revox_async._retry import IN_USE, Fetch, Lookup, content_lookup, raw

from ._params import declared_types, nullable_names
from .calls import dialled, phone_param, timestamp_param

__all__ = ["Campaigns"]

_M = TypeVar("_M")

PARAMS = declared_types(CampaignCreateParams)
_NULLABLE = nullable_names(CampaignUpdateParams)
_SELECTION = get_type_hints(SelectionParams)
_FILTER_TYPES = declared_types(_SELECTION["filters"])
_ROW_TYPES = declared_types(_SELECTION["rows"])
_SELECTION_FILTERS = tuple(n for n in _FILTER_TYPES if n in _SELECTION["filters"].__required_keys__)
"""The filters the API requires in a selection (an empty list selects every row)."""

_wrapped = decode_model(Campaign, "campaign")
_list = decode_list(Campaign, "campaigns")
_rows = decode_list(CampaignRow, "rows")
_export = decode_model(CsvExport, expect={"csv": str})
_statistics = decode_model(CampaignStatistics, "statistics")
_LAUNCH_NOTE = (
    "The server may have launched the rows although the answer was lost: it was not sent "
    "again (a second launch would count them as skipped). campaigns.rows() shows what "
    "is being dialled; launching again is safe, rows already active are skipped."
)
_launched = decode_model(LaunchResult, expect={"launched": (int, float)})


def _path(campaign_id: str, action: str = "") -> str:
    return f"/campaigns/{segment('campaign_id', campaign_id)}{action}"


def _selection_body(given: Any) -> dict[str, Any]:
    """The body's ``selection``: every name checked (a misspelt filter would select
    every row), the parts left out (or all of it, ``None``) selecting everything."""
    given = {} if given is None else given
    if not isinstance(given, Mapping):
        raise TypeError("invalid parameters: selection: expected {'filters': ..., 'rows': ...}")
    unknown = set(given) - {"filters", "rows"}
    if unknown:
        raise TypeError(f"invalid parameters: selection.{sorted(unknown)[0]}: unknown key")
    rows = given.get("rows", {"call_ids": [], "mode": "all_except"})
    filters = given.get("filters", {})
    for part, value in (("rows", rows), ("filters", filters)):
        if not isinstance(value, Mapping):
            raise TypeError(f"invalid parameters: selection.{part}: expected a mapping")
    every: dict[str, Any] = {name: [] for name in _SELECTION_FILTERS}
    return {
        "filters": build_body({**every, **filters}, _FILTER_TYPES, where="selection.filters."),
        "rows": build_body(rows, _ROW_TYPES, required=_ROW_TYPES, where="selection.rows."),
    }


def _lookup(body: dict[str, Any]) -> Lookup:
    """How a create finds the campaign an attempt with a lost answer made: by its name,
    assistant and caller number (as dialled), among those created since the first attempt
    (see ``_retry``), then by its rows: another campaign of that name, made meanwhile for
    other contacts, is not this one (launching it would call those contacts twice)."""
    sent: dict[str, Any] = {k: body[k] for k in ("name", "assistant_id") if k in body}
    lookup = content_lookup("/campaigns", "campaigns", "campaign", sent)
    caller = dialled(body.get("from_phone_number"))

    def same(campaign: Mapping[str, Any]) -> bool:
        number = campaign.get("from_phone_number")
        return lookup.matches(campaign) and (caller is None or caller == dialled(number))

    confirm = functools.partial(_same_rows, body["contacts"])
    return lookup._replace(matches=same, identity=(lookup.identity, caller), confirm=confirm)


async def _same_rows(
    contacts: builtins.list[Mapping[str, Any]], fetch: Fetch, campaign: Mapping[str, Any]
) -> bool | None:
    """Whether ``campaign``'s rows are the ``contacts`` sent, as a multiset (numbers as
    dialled, variables as stored text); ``None`` when not every row could be read, or when
    the rows are some of those sent (a campaign still being built). Its
    ``row_stats.total``, when given, rules out a larger count without a request."""
    stats = campaign.get("row_stats")
    total = stats.get("total") if isinstance(stats, Mapping) else None
    if isinstance(total, bool) or not isinstance(total, int | float):
        total = None
    elif total > len(contacts):
        return False
    try:
        path = _path(str(campaign.get("id") or ""), "/rows")
    except ValueError:  # no id, or one that is not a path segment
        return None
    rows = (await fetch(Request("GET", path, raw))).data
    rows = rows.get("rows") if isinstance(rows, Mapping) else None
    if not isinstance(rows, builtins.list) or not all(isinstance(r, Mapping) for r in rows):
        return None
    if total is not None and len(rows) < total:
        return None  # a server that pages or trims them: the rest may differ
    sent = Counter(_row(c["to_phone_number"], c["prompt_variables"]) for c in contacts)
    stored = Counter(_row(r.get("phone_number"), r.get("input_data")) for r in rows)
    return None if stored < sent else sent == stored


def _row(number: object, variables: object) -> tuple[object, str]:
    """A contact as a row stores it, comparable: the number as dialled, the variables as
    text (a row's ``input_data`` is text: ``3`` and ``"3"``, ``{"a": 1}`` and
    ``'{"a":1}'`` are one value; no variables are ``{}``)."""
    if isinstance(variables, Mapping):
        variables = {str(k): _text(v) for k, v in variables.items()}
    return dialled(number), _text(variables or {})


def _text(value: object) -> str:
    """A value as canonical JSON text; a text is read as JSON first, and stays itself if
    it is not JSON (or is too deeply nested to compare) or holds a text. A number is
    written one way: ``1.0``, ``1`` and ``1e0`` are one value, as a server that parses
    the JSON sent and stores its text may write any of them."""
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        read = json.loads(text, parse_float=_number)
        if isinstance(read, str):
            return read
        return json.dumps(read, sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError):
        return value if isinstance(value, str) else "\0"


def _number(text: str) -> float | int:
    number = float(text)
    return int(number) if number.is_integer() else number


class Campaigns(Resource[_M]):
    """Create, launch, follow and export campaigns: ``client.campaigns``."""

    @property
    def with_raw_response(self) -> Campaigns[Raw[_M]]:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""
        return cast("Campaigns[Raw[_M]]", self._raw_twin())

    @endpoint
    def create(
        self,
        *,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[CampaignCreateParams],
    ) -> Request[Campaign]:
        """Create a campaign; each contact becomes a row, ``not_launched`` until ``launch``.

            campaign = await client.campaigns.create(
                name="Spring follow-up",
                assistant_id=assistant.id,
                contacts=[{"to_phone_number": "+33612345678",
                           "prompt_variables": {"first_name": "Ada"}}],
            )

        Nothing is dialled yet. A POST whose outcome is unknown is checked
        (the campaigns are listed) before it is sent again.
        """
        body = build_body(
            params,
            PARAMS,
            required=("name", "assistant_id", "contacts"),
            nullable=(),
            extra_body=extra_body,
        )
        check_numbers(body["contacts"], "contacts")
        phone_param("from_phone_number", body.get("from_phone_number"))
        for i, contact in enumerate(body["contacts"]):
            phone_param(f"contacts[{i}].to_phone_number", contact.get("to_phone_number"))
        return Request("POST", "/campaigns", _wrapped, body, idempotency_key, lookup=_lookup(body))

    @endpoint
    def retrieve(self, campaign_id: str) -> Request[Campaign]:
        """Fetch a campaign, with its row and funnel counts.

        campaign = await client.campaigns.retrieve(campaign_id)
        """
        return Request("GET", _path(campaign_id), _wrapped)

    @endpoint
    def update(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[CampaignUpdateParams],
    ) -> Request[Campaign]:
        """Change the fields given (for calls not completed yet); ``None`` clears one.

        await client.campaigns.update(campaign_id, max_concurrent_calls=5)
        """
        body = build_body(params, PARAMS, nullable=_NULLABLE, extra_body=extra_body)
        if "assistant_id" in body or "contacts" in body:
            raise TypeError("invalid parameters: a campaign's assistant_id and contacts are fixed")
        phone_param("from_phone_number", body.get("from_phone_number"))
        return Request("PATCH", _path(campaign_id), _wrapped, body)

    @endpoint
    def list(self) -> Request[builtins.list[Campaign]]:
        """Every campaign of the account (the API does not paginate).

        for campaign in await client.campaigns.list():
            print(campaign.id, campaign.status)
        """
        return Request("GET", "/campaigns", _list)

    @endpoint
    def delete(self, campaign_id: str) -> Request[bool]:
        """Delete a campaign and its rows.

        await client.campaigns.delete(campaign_id)
        """
        return Request("DELETE", _path(campaign_id), decode_success, final_statuses=IN_USE)

    @endpoint
    def cancel(self, campaign_id: str) -> Request[bool]:
        """Cancel pending and queued calls (calls in progress finish; rows are kept).

        await client.campaigns.cancel(campaign_id)
        """
        return Request("POST", _path(campaign_id, "/cancel"), decode_success)

    @endpoint
    def pause(self, campaign_id: str) -> Request[bool]:
        """Pause a campaign; ``resume`` continues it.

        await client.campaigns.pause(campaign_id)
        """
        return Request("POST", _path(campaign_id, "/pause"), decode_success)

    @endpoint
    def resume(self, campaign_id: str) -> Request[bool]:
        """Resume a paused campaign.

        await client.campaigns.resume(campaign_id)
        """
        return Request("POST", _path(campaign_id, "/resume"), decode_success)

    @endpoint
    def launch(
        self,
        campaign_id: str,
        *,
        mode: Literal["ai_first", "speed_dial"] = "ai_first",
        selection: SelectionParams | Mapping[str, Any] | None = None,
        scheduled_at: datetime | str | None = None,
    ) -> Request[LaunchResult]:
        """Start calling the campaign's rows (all of them unless ``selection`` says).

            result = await client.campaigns.launch(campaign_id)
            print(result.launched, result.skipped)

        ``selection`` is ``{"filters": {...}, "rows": {"call_ids": [...], "mode":
        "only" | "all_except"}}``; missing parts select everything, so
        ``{"rows": {"call_ids": [call_id], "mode": "only"}}`` dials one row.
        ``scheduled_at`` (``ai_first`` only)
        starts later. Rows already being dialled, or with no attempts left,
        are skipped.
        """
        if not isinstance(mode, str):
            raise TypeError("invalid parameters: mode: expected 'ai_first' or 'speed_dial'")
        body: dict[str, Any] = {"mode": mode, "selection": _selection_body(selection)}
        if scheduled_at is not None:
            if mode == "speed_dial":
                raise ValueError("invalid parameters: scheduled_at: only for mode='ai_first'")
            stamp = timestamp_param("scheduled_at", scheduled_at)
            if not isinstance(stamp, str):
                raise TypeError("invalid parameters: scheduled_at: expected a datetime or text")
            body["scheduled_at"] = stamp
        path = _path(campaign_id, "/launch-calls")
        return Request("POST", path, _launched, body, not_resent=_LAUNCH_NOTE)

    @endpoint
    def rows(self, campaign_id: str) -> Request[builtins.list[CampaignRow]]:
        """Every row of the campaign, with its call.

        for row in await client.campaigns.rows(campaign_id):
            print(row.phone_number, row.call.status if row.call else None)
        """
        return Request("GET", _path(campaign_id, "/rows"), _rows)

    @endpoint
    def export(self, campaign_id: str) -> Request[CsvExport]:
        """The campaign's rows as CSV (``.csv`` text, ``.save()`` to a file).

        (await client.campaigns.export(campaign_id)).save("campaign.csv")
        """
        return Request("GET", _path(campaign_id, "/export"), _export)

    @endpoint
    def statistics(self, campaign_id: str) -> Request[CampaignStatistics]:
        """The campaign's funnel, effort and leads.

        stats = await client.campaigns.statistics(campaign_id)
        print(stats.funnel.reached.count, stats.funnel.reached.pct_of_called)
        """
        return Request("GET", _path(campaign_id, "/statistics"), _statistics)
