"""The Revox data model: attrs classes, one module per resource (``shared`` for the rest).

Assistants and the shared parts load with the package; the other resources'
models load on first use (``revox_async.Call``, or the first ``client.calls``
request), which keeps ``import revox_async`` fast.
"""

import importlib
from typing import TYPE_CHECKING, Any

from . import assistants, shared
from ._base import Model as Model
from ._base import resolve_module
from .assistants import *  # noqa: F403
from .shared import *  # noqa: F403

if TYPE_CHECKING:
    from .calls import *  # noqa: F403
    from .campaigns import *  # noqa: F403
    from .phone_numbers import *  # noqa: F403
    from .voices import *  # noqa: F403

resolve_module(assistants)
resolve_module(shared)

LAZY: dict[str, str] = {
    **dict.fromkeys(
        [
            "TERMINAL_STATUSES",
            "Call",
            "CallAttempt",
            "CallCampaign",
            "CallConcurrencyParams",
            "CallCreateParams",
            "CallFilterParams",
            "CallPage",
            "Contact",
            "CsvExport",
            "EmailLog",
            "InlineAssistantParams",
            "PhoneHistory",
            "SmsLog",
            "SpeechEvent",
            "TranscriptEntry",
        ],
        "calls",
    ),
    **dict.fromkeys(
        [
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
        ],
        "campaigns",
    ),
    **dict.fromkeys(["AuthStatus", "PhoneNumber", "User"], "phone_numbers"),
    **dict.fromkeys(["ClonedVoice", "VoiceInfo"], "voices"),
}
"""Model name -> the module (of this package) that defines it, loaded on first use."""


def __getattr__(name: str) -> Any:
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
