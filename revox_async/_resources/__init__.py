"""The API's resources, one module each; every endpoint is declared once (see ``_endpoint``).

Only ``assistants`` loads with the package; a client imports the others on
first use (`revox_async._endpoint.lazy_resource`).
"""

import importlib
from typing import TYPE_CHECKING, Any

from .assistants import Assistants

if TYPE_CHECKING:
    from .calls import Calls
    from .campaigns import Campaigns
    from .phone_numbers import PhoneNumbers, Users
    from .voices import Voices

__all__ = ["Assistants", "Calls", "Campaigns", "PhoneNumbers", "Users", "Voices"]

_LAZY = {
    "Calls": "calls",
    "Campaigns": "campaigns",
    "PhoneNumbers": "phone_numbers",
    "Users": "phone_numbers",
    "Voices": "voices",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
