"""Campaigns: many contacts called by one assistant, launched together, with statistics."""

# No ``from __future__ import annotations``: see shared.py.

import sys
from typing import Any, Literal, Required, TypeAlias, TypedDict

import attrs

from revox_async._types import NotGiven

from ._base import Model, resolve_module
from .assistants import Assistant
from .calls import Call, CallStatus, Direction, ResultFilter, Timestamp
from .shared import CallRetryConfig, CallRetryConfigParams, Member, OutcomeFilter

__all__ = [
    "Campaign",
    "CampaignContactParams",
    "CampaignCreateParams",
    "CampaignFunnelStats",
    "CampaignRow",
    "CampaignRowStats",
    "CampaignStatistics",
    "CampaignUpdateParams",
    "DataExtraction",
    "Effort",
    "Funnel",
    "FunnelCalled",
    "FunnelReached",
    "FunnelStep",
    "InboundStats",
    "JumpIn",
    "LaunchResult",
    "LaunchSkipped",
    "Lead",
    "Leads",
    "OutcomeCount",
    "SelectionParams",
    "SpeedDialSession",
    "StatisticsCampaign",
]

CampaignStatus: TypeAlias = Literal["running", "paused", "completed"]


@attrs.define(kw_only=True)
class CampaignFunnelStats(Model):
    total_leads: float | None = None
    talked_to_human: float | None = None
    hot: float | None = None


@attrs.define(kw_only=True)
class CampaignRowStats(Model):
    """How many rows are at each stage."""

    total: float | None = None
    not_launched: float | None = None
    pending: float | None = None
    calling: float | None = None
    retry: float | None = None
    completed: float | None = None
    failed: float | None = None
    skipped: float | None = None


@attrs.define(kw_only=True)
class Campaign(Model):
    """A list of contacts one assistant calls; ``status`` is running, paused or completed,
    and ``is_cancelled`` says whether it was cancelled."""

    id: str
    organization_id: str | None = None
    name: str | None = None
    assistant_id: str | None = None
    status: CampaignStatus | None = None
    is_cancelled: bool | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    scheduled_at: Timestamp = None
    assistant: Assistant | None = None
    call_retry_config: CallRetryConfig | None = None
    created_by: Member | None = None
    from_phone_number: str | None = None
    max_concurrent_calls: float | None = None
    metadata_keys: list[str] | None = None
    structured_output_extraction: Literal["none", "running", "completed"] | None = None
    funnel_stats: CampaignFunnelStats | None = None
    row_stats: CampaignRowStats | None = None


@attrs.define(kw_only=True)
class CampaignRow(Model):
    """One contact of a campaign and its call (``not_launched`` until launched)."""

    id: str
    row_index: float | None = None
    phone_number: str | None = None
    input_data: dict[str, str] | None = None
    call: Call | None = None


@attrs.define(kw_only=True)
class SpeedDialSession(Model):
    """A live-operator session started by ``launch(mode="speed_dial")``."""

    id: str
    campaign_id: str | None = None
    status: Literal["dialing", "connected", "completed", "stopped", "errored"] | None = None
    created_at: Timestamp = None
    ended_at: Timestamp = None
    total_targets: float | None = None
    dialed_count: float | None = None
    connected_count: float | None = None
    current_call_id: str | None = None
    in_flight_calls: list[Call] | None = None
    outcome_filter: list[str] | None = None


@attrs.define(kw_only=True)
class LaunchSkipped(Model):
    active: float | None = None
    attempts_exhausted: float | None = None
    cancelled: float | None = None


@attrs.define(kw_only=True)
class LaunchResult(Model):
    """What ``launch`` did: rows launched, rows skipped and why."""

    launched: float | None = None
    skipped: LaunchSkipped | None = None
    session: SpeedDialSession | None = None


@attrs.define(kw_only=True)
class Lead(Model):
    call_id: str | None = None
    attempt_id: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    direction: Direction | None = None
    last_activity_at: Timestamp = None
    summary: str | None = None


@attrs.define(kw_only=True)
class StatisticsCampaign(Model):
    id: str | None = None
    name: str | None = None
    status: CampaignStatus | None = None
    is_cancelled: bool | None = None
    timezone: str | None = None
    has_activity: bool | None = None
    first_activity_at: Timestamp = None
    last_activity_at: Timestamp = None
    agent_name: str | None = None
    max_attempts_per_contact: float | None = None


@attrs.define(kw_only=True)
class FunnelCalled(Model):
    count: float | None = None
    imported_rows: float | None = None


@attrs.define(kw_only=True)
class FunnelReached(Model):
    count: float | None = None
    inbound: float | None = None
    outbound: float | None = None
    overlap: float | None = None
    pct_of_called: float | None = None


@attrs.define(kw_only=True)
class FunnelStep(Model):
    count: float | None = None
    pct_of_reached: float | None = None


@attrs.define(kw_only=True)
class Funnel(Model):
    called: FunnelCalled | None = None
    reached: FunnelReached | None = None
    real_exchanges: FunnelStep | None = None
    hot_leads: FunnelStep | None = None


@attrs.define(kw_only=True)
class Effort(Model):
    calls_total: float | None = None
    outbound_attempts: float | None = None
    inbound_calls: float | None = None


@attrs.define(kw_only=True)
class InboundStats(Model):
    unique_callers: float | None = None


@attrs.define(kw_only=True)
class JumpIn(Model):
    joined_calls: float | None = None
    median_time_to_join_seconds: float | None = None
    median_conversation_seconds: float | None = None


@attrs.define(kw_only=True)
class Leads(Model):
    interested: list[Lead] | None = None
    callback_requested: list[Lead] | None = None


@attrs.define(kw_only=True)
class OutcomeCount(Model):
    outcome: str | None = None
    label: str | None = None
    count: float | None = None


@attrs.define(kw_only=True)
class DataExtraction(Model):
    intro: str | None = None
    fields: list[str] | None = None


@attrs.define(kw_only=True)
class CampaignStatistics(Model):
    """A campaign's funnel, effort and leads: ``stats.funnel.reached.count``.

    Counts are over distinct phone numbers; a percentage is ``None`` when its
    denominator is 0.
    """

    campaign: StatisticsCampaign | None = None
    funnel: Funnel | None = None
    effort: Effort | None = None
    inbound: InboundStats | None = None
    jump_in: JumpIn | None = None
    leads: Leads | None = None
    outcome_breakdown: list[OutcomeCount] | None = None
    hot_lead_outcomes: list[str] | None = None
    data_extraction: DataExtraction | None = None


class CampaignContactParams(TypedDict):
    to_phone_number: str
    prompt_variables: dict[str, Any]


class CampaignCreateParams(TypedDict, total=False):
    """``campaigns.create``: ``name``, ``assistant_id`` and ``contacts`` are required."""

    name: Required[str]
    assistant_id: Required[str]
    contacts: Required[list[CampaignContactParams]]
    call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven
    from_phone_number: str | NotGiven
    max_concurrent_calls: float | NotGiven


class CampaignUpdateParams(TypedDict, total=False):
    """``campaigns.update``: any of these; ``None`` clears the nullable ones."""

    name: str | NotGiven
    from_phone_number: str | NotGiven | None
    max_concurrent_calls: float | NotGiven | None
    call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven | None


class _SelectionFiltersParams(TypedDict, total=False):
    assignee_ids: Required[list[str]]
    directions: Required[list[Direction]]
    outcomes: Required[list[OutcomeFilter]]
    results: Required[list[ResultFilter]]
    statuses: Required[list[CallStatus]]
    query: str


class _SelectionRowsParams(TypedDict):
    call_ids: list[str]
    mode: Literal["all_except", "only"]


class SelectionParams(TypedDict):
    """Which rows ``launch`` dials: ``{"filters": {...}, "rows": {...}}``."""

    filters: _SelectionFiltersParams
    rows: _SelectionRowsParams


resolve_module(sys.modules[__name__], public=True)
